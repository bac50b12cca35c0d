import type { ParsedArgs } from '../../shared/contract/contract';
import type {
  DecisionResult,
  EditModeState,
  PublishOutcome,
  RegistryNotice,
  SetPublishedState,
} from '../../shared/contract/registry';
import type { ReviewDetail, ReviewSummary } from '../../shared/registry/api';
import type { PublishProblem, PublishedVersion, ReviewComment } from '../../shared/registry/types';
import type { Role, VersionInfo } from '../../shared/domain';
import { AnvilError } from '../../shared/domain';
import type { Workspace } from '../store/workspace';
import type { SyncHttp } from '../sync/http';
import { createSyncHttp } from '../sync/http';
import { serverClients } from '../sync/server-access';
import type { SecretStore, StudioSync } from '../sync/types';
import type { RegistryHttp } from './http';
import { createRegistryHttp } from './http';
import { SEEN_REVIEWS_KEY, commentNotice, decidedNotice, parseSeen, reviewChanges } from './notifier';

/** The registry operations of the contract, as the dispatch table calls them. */
export interface StudioRegistry {
  publish(args: ParsedArgs<'registry:publish'>): Promise<PublishOutcome>;
  published(args: ParsedArgs<'registry:published'>): Promise<SetPublishedState>;
  setDistTag(args: ParsedArgs<'registry:setDistTag'>): Promise<Record<string, string>>;
  deprecate(args: ParsedArgs<'registry:deprecate'>): Promise<PublishedVersion>;
  editMode(args: ParsedArgs<'registry:editMode'>): Promise<EditModeState>;
  setEditMode(args: ParsedArgs<'registry:setEditMode'>): Promise<EditModeState>;
  reviews(args: ParsedArgs<'registry:reviews'>): Promise<ReviewSummary[]>;
  review(args: ParsedArgs<'registry:review'>): Promise<ReviewDetail>;
  comment(args: ParsedArgs<'registry:comment'>): Promise<ReviewComment>;
  decide(args: ParsedArgs<'registry:decide'>): Promise<DecisionResult>;
  /** Look at the author's requests now (also done every `pollMs` while sync is on, and after each publish). */
  checkReviews(): Promise<void>;
  onNotice(listener: (notice: RegistryNotice) => void): () => void;
  onChanged(listener: (change: { setId?: string; projectId?: string; reviewId?: string }) => void): () => void;
  close(): void;
}

export interface StudioRegistryOptions {
  ws: Workspace;
  /** Its status says whether sync is on; the server and token are the ones it uses (settings, secret store). */
  sync: StudioSync;
  secrets: SecretStore;
  /** How often the author's review requests are looked at while sync is on (default 15 s; tests shorten it). */
  pollMs?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

interface Connection {
  server: string;
  registry: RegistryHttp;
  sync: SyncHttp;
  /** Who the token is, asked once per connection. */
  whoami: () => Promise<{ name: string; serverAdmin: boolean }>;
}

/**
 * The studio's side of the team registry: the contract's `registry:*` operations over the registry client, with
 * the sync settings' server and token (read at each call, so a change in Settings → Sync applies at once), and
 * the author's notifications: while sync is on, the requests this account opened are looked at every `pollMs`
 * and right after a publish; each decision or new comment by someone else is told once (`onNotice`).
 */
export function createStudioRegistry(options: StudioRegistryOptions): StudioRegistry {
  const { ws, sync } = options;
  const pollMs = options.pollMs ?? 15_000;
  const noticeListeners = new Set<(n: RegistryNotice) => void>();
  const changeListeners = new Set<(c: { setId?: string; projectId?: string; reviewId?: string }) => void>();
  let closed = false;

  const emit = <T>(listeners: Set<(v: T) => void>, value: T) => {
    for (const l of listeners) {
      try {
        l(value);
      } catch {
        // One listener's failure must not keep the others from hearing.
      }
    }
  };

  const connect = serverClients(
    ws,
    options.secrets,
    {
      code: 'registry_unavailable',
      message:
        "Publishing and reviews go through the team's sync server: set it up and switch sync on in Settings → Sync.",
    },
    options,
    ({ urls, token }, timing): Connection => {
      const syncHttp = createSyncHttp({ urls, token, ...timing });
      let who: Promise<{ name: string; serverAdmin: boolean }> | null = null;
      return {
        server: urls.http,
        registry: createRegistryHttp({ urls, token, ...timing }),
        sync: syncHttp,
        whoami: () => {
          who ??= syncHttp.whoami().catch((err: unknown) => {
            who = null;
            throw err;
          });
          return who;
        },
      };
    },
  );

  const roleOf = async (c: Connection, projectId: string): Promise<{ role: Role | null; serverAdmin: boolean }> => {
    const [projects, who] = await Promise.all([c.sync.projects(), c.whoami()]);
    return { role: projects.find((p) => p.id === projectId)?.role ?? null, serverAdmin: who.serverAdmin };
  };

  const projectOf = async (setId: string): Promise<{ projectId: string; setName: string }> => {
    const content = await ws.sets.content({ setId });
    return { projectId: content.projectId, setName: content.name };
  };

  // ── the author's notifications ──────────────────────────────────────────────────────────────────────────
  let checking: Promise<void> | null = null;
  let again = false;
  const checkOnce = async (): Promise<void> => {
    const c = await connect();
    const who = await c.whoami();
    const mine = await c.registry.reviews({ mine: true });
    const seen = parseSeen(await ws.settings.get({ key: SEEN_REVIEWS_KEY }));
    const changes = reviewChanges(seen, c.server, who.name, mine);
    const details = new Map<string, ReviewDetail | null>();
    const detail = async (id: string) => {
      if (!details.has(id)) details.set(id, await c.registry.review(id).catch(() => null));
      return details.get(id) ?? null;
    };
    const notices: RegistryNotice[] = [];
    for (const r of changes.decided) notices.push(decidedNotice(r, await detail(r.id)));
    for (const { review, seen: count } of changes.commented) {
      const d = await detail(review.id);
      const n = d ? commentNotice(review, count, d, who.name) : null;
      if (n) notices.push(n);
    }
    if (JSON.stringify(changes.next) !== JSON.stringify(seen))
      await ws.settings.set({ key: SEEN_REVIEWS_KEY, value: changes.next });
    // Told only once remembered: a crash before the write tells it again rather than never.
    for (const n of notices) emit(noticeListeners, n);
    if (notices.length > 0) emit(changeListeners, {});
  };
  const checkReviews = (): Promise<void> => {
    if (closed) return Promise.resolve();
    if (checking) {
      again = true;
      return checking;
    }
    checking = (async () => {
      try {
        do {
          again = false;
          await checkOnce();
        } while (again && !closed);
      } finally {
        checking = null;
      }
    })();
    return checking;
  };
  const syncOn = () => {
    const s = sync.status();
    return s.enabled && (s.state === 'synced' || s.state === 'syncing');
  };
  const quietCheck = () => {
    if (syncOn()) checkReviews().catch(() => undefined);
  };
  const timer = setInterval(quietCheck, pollMs);
  timer.unref?.();
  let wasOn = syncOn();
  const stopStatus = sync.onStatus(() => {
    const on = syncOn();
    if (on && !wasOn) quietCheck();
    wasOn = on;
  });
  if (wasOn) quietCheck();

  const versionToPublish = async (setId: string, version: string, setName: string): Promise<VersionInfo> => {
    const rows = (await ws.versions.list({ setId })).filter((v) => v.version === version);
    const onServer = rows.find((v) => v.sync?.state === 'accepted' || v.sync?.state === 'team');
    if (onServer) return onServer;
    const row = rows[0];
    if (!row)
      throw new AnvilError({
        code: 'unknown_version',
        message: `${setName} has no version ${version} in this studio.`,
      });
    const state = row.sync?.state;
    const message =
      state === 'pending'
        ? `${setName} ${version} has not reached the server yet ("Not shared yet"): sync first, then publish once the history marks it Shared.`
        : state === 'clash' || state === 'replaced'
          ? `${setName} ${version} is not the team's ${version} (a colleague's took the number on the server): save it under another number, sync, then publish that.`
          : `${setName} ${version} is only in this studio (its project is not synced): switch sync on in Settings → Sync, wait until the history marks it Shared, then publish.`;
    throw new AnvilError({ code: 'version_not_synced', message });
  };

  return {
    async publish({ setId, version }) {
      const { projectId, setName } = await projectOf(setId);
      await versionToPublish(setId, version, setName);
      const c = await connect();
      try {
        const result = await c.registry.publish({ projectId, setId, version });
        emit(changeListeners, {
          setId,
          projectId,
          ...(result.status === 'review' ? { reviewId: result.review.id } : {}),
        });
        return result;
      } catch (err) {
        if (err instanceof AnvilError && err.code === 'publish_refused') {
          const problems = ((err.details as { problems?: PublishProblem[] } | undefined)?.problems ?? []).slice();
          return { status: 'refused', message: err.message, problems };
        }
        throw err;
      } finally {
        quietCheck();
      }
    },

    async published({ setId }) {
      let c: Connection;
      let projectId: string;
      try {
        projectId = (await projectOf(setId)).projectId;
        c = await connect();
      } catch (err) {
        return { available: false, reason: reasonOf(err) };
      }
      try {
        const [editMode, access, packages] = await Promise.all([
          c.registry.editMode(projectId),
          roleOf(c, projectId),
          c.registry.published(projectId, setId),
        ]);
        const name = packages.find((p) => p.setId === setId)?.name ?? null;
        const metadata = name ? await c.registry.metadata(name) : null;
        return { available: true, projectId, editMode, role: access.role, package: metadata };
      } catch (err) {
        return { available: false, reason: reasonOf(err) };
      }
    },

    async setDistTag({ name, tag, version }) {
      const c = await connect();
      const tags =
        version === null ? await c.registry.removeDistTag(name, tag) : await c.registry.setDistTag(name, tag, version);
      emit(changeListeners, {});
      return tags;
    },

    async deprecate({ name, version, message }) {
      const c = await connect();
      const v = await c.registry.deprecate(name, version, message ? message : null);
      emit(changeListeners, {});
      return v;
    },

    async editMode({ projectId }) {
      const c = await connect();
      const [editMode, access] = await Promise.all([c.registry.editMode(projectId), roleOf(c, projectId)]);
      return { projectId, editMode, role: access.role, canChange: access.role === 'admin' || access.serverAdmin };
    },

    async setEditMode({ projectId, editMode }) {
      const c = await connect();
      const mode = await c.registry.setEditMode(projectId, editMode);
      // The project document carries the mode too (lists show it): kept in step, best effort.
      await ws.projects.update({ projectId, editMode: mode }).catch(() => undefined);
      const access = await roleOf(c, projectId);
      emit(changeListeners, { projectId });
      return { projectId, editMode: mode, role: access.role, canChange: access.role === 'admin' || access.serverAdmin };
    },

    async reviews(args) {
      const c = await connect();
      return c.registry.reviews({
        ...(args.projectId ? { projectId: args.projectId } : {}),
        ...(args.state ? { state: args.state } : {}),
        ...(args.mine ? { mine: true } : {}),
      });
    },

    async review({ id }) {
      return (await connect()).registry.review(id);
    },

    async comment({ id, body, anchor }) {
      const c = await connect();
      const comment = await c.registry.comment(id, { body, ...(anchor ? { anchor } : {}) });
      emit(changeListeners, { reviewId: id });
      return comment;
    },

    async decide({ id, decision, note }) {
      const c = await connect();
      const result = await c.registry.decide(id, { decision, ...(note ? { note } : {}) });
      emit(changeListeners, { reviewId: id, projectId: result.review.projectId, setId: result.review.setId });
      return result;
    },

    checkReviews,
    onNotice(listener) {
      noticeListeners.add(listener);
      return () => noticeListeners.delete(listener);
    },
    onChanged(listener) {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
    close() {
      closed = true;
      clearInterval(timer);
      stopStatus();
      noticeListeners.clear();
      changeListeners.clear();
    },
  };
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
