import semver from 'semver';
import type { ParsedArgs } from '../../shared/contract/contract';
import type { ExperimentResultsView, SetExperiments } from '../../shared/contract/experiments';
import { USAGE_MAX_SPAN_MS } from '../../shared/contract/usage';
import { AnvilError } from '../../shared/domain';
import { experimentResults } from '../../shared/experiments/stats';
import type { ExperimentDefinition, ExperimentRecord } from '../../shared/registry/api';
import type { UsageFigures } from '../../shared/usage/types';
import { createRegistryHttp } from '../registry/http';
import type { RegistryHttp } from '../registry/http';
import type { Workspace } from '../store/workspace';
import { createSyncHttp } from '../sync/http';
import type { SyncHttp } from '../sync/http';
import { serverClients } from '../sync/server-access';
import type { SecretStore } from '../sync/types';
import { createUsageHttp } from '../usage/http';
import type { UsageHttp } from '../usage/http';

/** The `experiments:*` operations of the contract, as the dispatch table calls them. */
export interface StudioExperiments {
  list(args: ParsedArgs<'experiments:list'>): Promise<SetExperiments>;
  save(args: ParsedArgs<'experiments:save'>): Promise<ExperimentRecord>;
  stop(args: ParsedArgs<'experiments:stop'>): Promise<ExperimentRecord>;
  results(args: ParsedArgs<'experiments:results'>): Promise<ExperimentResultsView>;
  /** Something changed on the server from this studio (an experiment published or stopped). */
  onChanged(listener: (change: { setId?: string }) => void): () => void;
}

export interface StudioExperimentsOptions {
  ws: Workspace;
  secrets: SecretStore;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

interface Connection {
  registry: RegistryHttp;
  usage: UsageHttp;
  sync: SyncHttp;
}

const HOUR = 3600_000;
const WRITERS = new Set(['admin', 'context_engineer']);

/**
 * A/B tests from the studio: definitions go to the registry (`PUT …/experiments/<id>`, which checks them against
 * what the package publishes and puts them in its metadata, where the SDK takes them up), results come from the
 * usage API's rollups: one breakdown by variant of the experiment's prompt filtered by its id, turned into
 * estimates and intervals by `shared/experiments/stats.ts`. The server and token are the sync settings' (read at
 * each call).
 */
export function createStudioExperiments(options: StudioExperimentsOptions): StudioExperiments {
  const { ws } = options;
  const now = options.now ?? Date.now;
  const listeners = new Set<(change: { setId?: string }) => void>();

  const connect = serverClients(
    ws,
    options.secrets,
    {
      code: 'registry_unavailable',
      message:
        "A/B tests are published through the team's registry and measured by its usage analytics: set up the sync server and switch sync on in Settings → Sync.",
    },
    options,
    ({ urls, token }, timing): Connection => ({
      registry: createRegistryHttp({ urls, token, ...timing }),
      usage: createUsageHttp({ urls, token, ...timing }),
      sync: createSyncHttp({ urls, token, ...timing }),
    }),
  );

  const changed = (setId?: string) => {
    for (const l of listeners) {
      try {
        l(setId === undefined ? {} : { setId });
      } catch {
        // One listener's failure must not keep the others from hearing.
      }
    }
  };

  const recordOf = async (c: Connection, name: string, id: string): Promise<ExperimentRecord> => {
    const record = (await c.registry.experiments(name)).find((r) => r.experiment.id === id);
    if (!record) throw new AnvilError({ code: 'unknown_experiment', message: `${name} has no experiment "${id}".` });
    return record;
  };

  return {
    async list({ setId }) {
      try {
        const c = await connect();
        const { projectId } = await ws.sets.content({ setId });
        const [packages, projects, who, editMode] = await Promise.all([
          c.registry.published(projectId, setId),
          c.sync.projects(),
          c.sync.whoami(),
          c.registry.editMode(projectId),
        ]);
        const name = packages.find((p) => p.setId === setId)?.name;
        if (!name)
          return {
            available: false,
            code: 'not_published',
            reason:
              'This set has no published version yet. An experiment runs on a published prompt: publish a version from the history first.',
          };
        const [meta, experiments] = await Promise.all([c.registry.metadata(name), c.registry.experiments(name)]);
        const role = projects.find((p) => p.id === projectId)?.role ?? null;
        const versions = Object.values(meta?.versions ?? {})
          .filter((v) => semver.valid(v.version))
          .sort((a, b) => semver.rcompare(a.version, b.version))
          .map((v) => ({ version: v.version, prompts: [...v.prompts], deprecated: v.deprecated !== null }));
        const latest = meta?.distTags['latest'] ?? null;
        return {
          available: true,
          name,
          projectId,
          role,
          canWrite: who.serverAdmin || (role !== null && WRITERS.has(role)),
          locked: editMode === 'locked',
          prompts: versions.find((v) => v.version === latest)?.prompts ?? [],
          versions,
          latest,
          experiments: sortRecords(experiments),
        };
      } catch (err) {
        return {
          available: false,
          code: err instanceof AnvilError ? err.code : 'internal',
          reason: err instanceof Error ? err.message : String(err),
        };
      }
    },

    async save({ name, id, definition }) {
      const c = await connect();
      const record = await c.registry.putExperiment(name, id, definition as ExperimentDefinition);
      changed();
      return record;
    },

    async stop({ name, id, winner }) {
      const c = await connect();
      const record = await c.registry.stopExperiment(name, id, winner);
      changed();
      return record;
    },

    async results({ name, id, from, to, rateDenominator }) {
      const c = await connect();
      const record = await recordOf(c, name, id);
      const e = record.experiment;
      const range = resultRange(record, now(), from, to);
      const prompt = e.prompt.slice(name.length + 1);
      const filter = { name, prompt, from: range.from, to: range.to };
      const [byVariant, byExperiment] = await Promise.all([
        c.usage.breakdown({ ...filter, experiment: e.id }, 'variant'),
        c.usage.breakdown(filter, 'experiment'),
      ]);
      const figures: Record<string, UsageFigures> = {};
      for (const { key, ...f } of byVariant.groups) if (key !== null) figures[key] = f;
      const unassigned = byExperiment.groups.filter((g) => g.key !== e.id).reduce((n, g) => n + g.renders, 0);
      return {
        record,
        from: range.from,
        to: range.to,
        results: experimentResults(e, figures, rateDenominator ? { rateDenominator } : {}),
        unassigned,
      };
    },

    onChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Running first, then the most recently changed. */
function sortRecords(records: ExperimentRecord[]): ExperimentRecord[] {
  return [...records].sort((a, b) => {
    const running = Number(b.experiment.status === 'running') - Number(a.experiment.status === 'running');
    return running !== 0 ? running : b.updatedAt.localeCompare(a.updatedAt);
  });
}

/**
 * The hours an experiment's results cover unless asked otherwise: from the hour it was created to the hour it was
 * stopped (after that every unit gets the winner, which says nothing about the comparison), or to the end of the
 * current hour while it runs. At most the usage API's longest span, keeping the latest part.
 */
export function resultRange(
  record: Pick<ExperimentRecord, 'createdAt' | 'updatedAt' | 'experiment'>,
  nowMs: number,
  from?: number,
  to?: number,
): { from: number; to: number } {
  const created = Date.parse(record.createdAt);
  const end = record.experiment.status === 'stopped' ? Date.parse(record.updatedAt) : Math.max(nowMs, created);
  const rangeTo = to ?? Math.ceil((end + 1) / HOUR) * HOUR;
  let rangeFrom = from ?? Math.floor(created / HOUR) * HOUR;
  if (rangeTo - rangeFrom > USAGE_MAX_SPAN_MS) rangeFrom = rangeTo - USAGE_MAX_SPAN_MS;
  if (rangeFrom >= rangeTo) throw new AnvilError({ code: 'invalid_argument', message: '"to" must be after "from".' });
  return { from: rangeFrom, to: rangeTo };
}
