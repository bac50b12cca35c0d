import type { Operation, OperationResults, ParsedArgs } from '../../shared/contract/contract';
import type { AppInfo } from '../../shared/contract/studio';
import type { Workspace } from '../store/workspace';
import { catalog, overview } from './overview';
import type { DocRelay, RelayClient } from './relay';
import type { StudioSync } from '../sync/types';
import type { StudioRegistry } from '../registry/service';
import type { StudioUsage } from '../usage/service';
import type { StudioExperiments } from '../experiments/service';

/** What a handler may use: the workspace, the relay, who is calling, what the app is. */
export interface DispatchContext {
  ws: Workspace;
  relay: DocRelay;
  info: AppInfo;
  sync: StudioSync;
  registry: StudioRegistry;
  usage: StudioUsage;
  experiments: StudioExperiments;
}

type Handler<K extends Operation> = (
  args: ParsedArgs<K>,
  client: RelayClient,
  ctx: DispatchContext,
) => Promise<OperationResults[K]> | OperationResults[K];

/**
 * One handler per operation of the contract. The mapped type makes this table cover `OperationResults`
 * exactly: a missing operation is a compile error, and so is an extra one (object literal excess check), and
 * each handler must return its operation's result type.
 */
export type DispatchTable = { [K in keyof OperationResults]: Handler<K> };

export const DISPATCH: DispatchTable = {
  'projects:create': (a, _c, { ws }) => ws.projects.create(a),
  'projects:rename': (a, _c, { ws }) => ws.projects.rename(a),
  'projects:update': (a, _c, { ws }) => ws.projects.update(a),
  'projects:delete': (a, _c, { ws }) => ws.projects.delete(a),
  'projects:restore': (a, _c, { ws }) => ws.projects.restore(a),
  'projects:get': (a, _c, { ws }) => ws.projects.get(a),
  'projects:list': (a, _c, { ws }) => ws.projects.list(a),
  'sets:create': (a, _c, { ws }) => ws.sets.create(a),
  'sets:rename': (a, _c, { ws }) => ws.sets.rename(a),
  'sets:update': (a, _c, { ws }) => ws.sets.update(a),
  'sets:delete': (a, _c, { ws }) => ws.sets.delete(a),
  'sets:restore': (a, _c, { ws }) => ws.sets.restore(a),
  'sets:list': (a, _c, { ws }) => ws.sets.list(a),
  'sets:content': (a, _c, { ws }) => ws.sets.content(a),
  'prompts:create': (a, _c, { ws }) => ws.prompts.create(a),
  'prompts:rename': (a, _c, { ws }) => ws.prompts.rename(a),
  'prompts:delete': (a, _c, { ws }) => ws.prompts.delete(a),
  'prompts:get': (a, _c, { ws }) => ws.prompts.get(a),
  'prompts:setDescription': (a, _c, { ws }) => ws.prompts.setDescription(a),
  'prompts:editTemplate': (a, _c, { ws }) => ws.prompts.editTemplate(a),
  'prompts:setTemplate': (a, _c, { ws }) => ws.prompts.setTemplate(a),
  'prompts:addMessage': (a, _c, { ws }) => ws.prompts.addMessage(a),
  'prompts:removeMessage': (a, _c, { ws }) => ws.prompts.removeMessage(a),
  'prompts:setMessageRole': (a, _c, { ws }) => ws.prompts.setMessageRole(a),
  'prompts:setParameters': (a, _c, { ws }) => ws.prompts.setParameters(a),
  'prompts:setModel': (a, _c, { ws }) => ws.prompts.setModel(a),
  'prompts:duplicate': (a, _c, { ws }) => ws.prompts.duplicate(a),
  'prompts:reorder': (a, _c, { ws }) => ws.prompts.reorder(a),
  'versions:save': (a, _c, { ws }) => ws.versions.save(a),
  'versions:list': (a, _c, { ws }) => ws.versions.list(a),
  'versions:get': (a, _c, { ws }) => ws.versions.get(a),
  'versions:restore': (a, _c, { ws }) => ws.versions.restore(a),
  'versions:snapshots': (a, _c, { ws }) => ws.versions.snapshots(a),
  'versions:restoreSnapshot': (a, _c, { ws }) => ws.versions.restoreSnapshot(a),
  'versions:renumber': (a, _c, { ws }) => ws.versions.renumber(a),
  'audit:list': (a, _c, { ws }) => ws.audit.list(a),
  'settings:get': (a, _c, { ws }) => ws.settings.get(a),
  'settings:set': (a, _c, { ws }) => ws.settings.set(a),
  'search:query': (a, _c, { ws }) => ws.search.query(a),
  'app:info': (_a, _c, { info }) => info,
  'app:overview': (a, _c, { ws }) => overview(ws.internals.db, a.recentLimit),
  'app:catalog': (_a, _c, { ws }) => catalog(ws.internals.db),
  'docs:open': (a, client, { relay }) => ({ docId: a.docId, update: relay.open(client, a.docId) }),
  'docs:close': (a, client, { relay }) => relay.close(client, a.docId),
  'docs:apply': (a, client, { relay }) => relay.apply(client, a.docId, a.update),
  'docs:awareness': (a, client, { relay }) => relay.applyAwareness(client, a.docId, a.update),
  'sync:status': (_a, _c, { sync }) => sync.status(),
  'sync:configure': (a, _c, { sync }) => sync.configure(a),
  'sync:test': (a, _c, { sync }) => sync.test(a),
  'sync:retry': (_a, _c, { sync }) => sync.retry(),
  'registry:publish': (a, _c, { registry }) => registry.publish(a),
  'registry:published': (a, _c, { registry }) => registry.published(a),
  'registry:setDistTag': (a, _c, { registry }) => registry.setDistTag(a),
  'registry:deprecate': (a, _c, { registry }) => registry.deprecate(a),
  'registry:editMode': (a, _c, { registry }) => registry.editMode(a),
  'registry:setEditMode': (a, _c, { registry }) => registry.setEditMode(a),
  'registry:reviews': (a, _c, { registry }) => registry.reviews(a),
  'registry:review': (a, _c, { registry }) => registry.review(a),
  'registry:comment': (a, _c, { registry }) => registry.comment(a),
  'registry:decide': (a, _c, { registry }) => registry.decide(a),
  'usage:scope': (_a, _c, { usage }) => usage.scope(),
  'usage:series': (a, _c, { usage }) => usage.series(a),
  'usage:breakdown': (a, _c, { usage }) => usage.breakdown(a),
  'usage:prompt': (a, _c, { usage }) => usage.prompt(a),
  'experiments:list': (a, _c, { experiments }) => experiments.list(a),
  'experiments:save': (a, _c, { experiments }) => experiments.save(a),
  'experiments:stop': (a, _c, { experiments }) => experiments.stop(a),
  'experiments:results': (a, _c, { experiments }) => experiments.results(a),
};

/** Run a validated call. */
export function dispatch<K extends Operation>(
  op: K,
  args: ParsedArgs<K>,
  client: RelayClient,
  ctx: DispatchContext,
): Promise<OperationResults[K]> {
  const handler = DISPATCH[op] as Handler<K>;
  return Promise.resolve().then(() => handler(args, client, ctx));
}
