import { z } from 'zod';
import { AnvilError, ChangeClass, SemverNumber } from '../../shared/domain';
import type { TeamVersion } from '../../shared/sync/api';
import type { SyncNotice } from '../../shared/sync/status';
import { hashJson } from '../store/hash';
import {
  applyTeamPage,
  countPending,
  enrollProjects,
  markAccepted,
  markClash,
  markError,
  pendingVersions,
  pullCursor,
  setName,
} from '../store/versions/sync-rows';
import type { PendingVersion } from '../store/versions/sync-rows';
import type { Workspace } from '../store/workspace';
import type { SyncHttp } from './http';
import type { VersionChange, VersionSyncApi } from './types';

export interface VersionSyncOptions {
  ws: Workspace;
  /** Clock for the sync rows (tests inject one). */
  now?: () => number;
  /** Team versions asked for per request (default 200). */
  pageSize?: number;
  /** A team version the server sent that is not valid (skipped; the rest goes on). */
  onInvalid?: (err: AnvilError) => void;
}

/** Errors that end a run: the server cannot be talked to now, so nothing else will work either. */
const CONNECTION_ERRORS = new Set([
  'sync_unreachable',
  'sync_unauthorized',
  'sync_protocol_mismatch',
  'sync_not_a_server',
]);

/**
 * Versions and the sync server (`VersionSyncApi`, driven by the engine whenever it is connected). A run, per
 * synced project: queue the local versions not proposed yet, propose the pending ones in save order (first to
 * reach the server keeps a number: ours is `accepted`, or `clash` with a `version-clash` notice), then pull the
 * team's new versions from the stored cursor. Everything the server answers is written before the next request,
 * so a run cut short (offline, killed) resumes where it stopped; proposing again is safe (the server answers a
 * known id with its record). Runs are serialised: a call during a run waits for it and runs again.
 */
export function createVersionSync(options: VersionSyncOptions): VersionSyncApi & { close(): void } {
  const { ws } = options;
  const db = ws.internals.db;
  const now = options.now ?? Date.now;
  const pageSize = options.pageSize ?? 200;
  const noticeListeners = new Set<(notice: SyncNotice) => void>();
  const changeListeners = new Set<(change: VersionChange) => void>();
  const emit = <T>(listeners: Set<(v: T) => void>, value: T) => {
    for (const l of listeners) {
      try {
        l(value);
      } catch {
        // One listener's failure must not keep the others from hearing.
      }
    }
  };
  const stopSaved = ws.internals.onVersionSaved((v) => emit(changeListeners, { setIds: [v.setId], local: true }));
  let tail: Promise<void> = Promise.resolve();

  const runOnce = async (http: SyncHttp, projectIds: readonly string[]): Promise<void> => {
    enrollProjects(db, projectIds, now());
    const touched = new Set<string>();
    try {
      for (const projectId of projectIds) {
        try {
          await proposeAll(http, projectId, touched);
          await pullAll(http, projectId, touched);
        } catch (err) {
          // No access to this project (a viewer proposing, a project not registered yet): the others go on.
          if (err instanceof AnvilError && err.code === 'sync_forbidden') continue;
          throw err;
        }
      }
    } finally {
      if (touched.size > 0) emit(changeListeners, { setIds: [...touched], local: false });
    }
  };

  const proposeAll = async (http: SyncHttp, projectId: string, touched: Set<string>) => {
    for (const v of pendingVersions(db, projectId)) {
      try {
        const accepted = await http.proposeVersion(projectId, proposalOf(v));
        if (markAccepted(db, v.id, accepted.seq, now())) touched.add(v.set_id);
      } catch (err) {
        if (!(err instanceof AnvilError)) throw err;
        if (CONNECTION_ERRORS.has(err.code) || err.code === 'sync_forbidden') throw err;
        if (err.code === 'version_taken') {
          const taken = parseTeamVersion((err.details as { taken?: unknown } | undefined)?.taken);
          if (!taken.ok) {
            markError(db, v.id, `The server said the number is taken but not by whom (${taken.error}).`, now());
            continue;
          }
          if (markClash(db, v.id, taken.value, now())) {
            touched.add(v.set_id);
            emit(noticeListeners, {
              kind: 'version-clash',
              projectId,
              setId: v.set_id,
              setName: setName(db, v.set_id),
              version: v.version,
            });
          }
          continue;
        }
        // Refused for this version alone (too large, invalid): it stays pending with the reason; the rest go on.
        markError(db, v.id, err.message, now());
        touched.add(v.set_id);
      }
    }
  };

  const pullAll = async (http: SyncHttp, projectId: string, touched: Set<string>) => {
    for (;;) {
      const after = pullCursor(db, projectId);
      const page = await http.versions(projectId, after, pageSize);
      const valid: TeamVersion[] = [];
      for (const raw of Array.isArray(page.versions) ? (page.versions as unknown[]) : []) {
        const parsed = parseTeamVersion(raw);
        if (parsed.ok && parsed.value.projectId === projectId) valid.push(parsed.value);
        else
          options.onInvalid?.(
            new AnvilError({
              code: 'sync_invalid_version',
              message: `The server sent a team version that is not valid (${parsed.ok ? 'another project' : parsed.error}); it was skipped.`,
            }),
          );
      }
      const next = Number.isSafeInteger(page.next) && page.next > after ? page.next : after;
      for (const setId of applyTeamPage(db, projectId, valid, next, now())) touched.add(setId);
      if (next === after || (Array.isArray(page.versions) && page.versions.length < pageSize)) return;
    }
  };

  return {
    run(http, projectIds) {
      const run = tail.then(() => runOnce(http, projectIds));
      tail = run.catch(() => undefined);
      return run;
    },
    pending: () => countPending(db),
    onNotice(listener) {
      noticeListeners.add(listener);
      return () => noticeListeners.delete(listener);
    },
    onChange(listener) {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
    close() {
      stopSaved();
      noticeListeners.clear();
      changeListeners.clear();
    },
  };
}

function proposalOf(v: PendingVersion) {
  return {
    id: v.id,
    setId: v.set_id,
    version: v.version,
    changelog: v.changelog,
    author: v.author,
    createdAt: new Date(v.created_at).toISOString(),
    contentHash: v.content_hash,
    changeClass: v.change_class,
    override: v.override,
    content: v.content,
  };
}

/** What the server sends is checked like any input: shape, number, and that the content matches its hash. */
const TeamVersionSchema = z.object({
  id: z.string().min(1).max(200),
  setId: z.string().min(1).max(200),
  version: SemverNumber,
  changelog: z.string().max(20_000),
  author: z.string().min(1).max(128),
  createdAt: z.iso.datetime({ offset: true }),
  contentHash: z.string().regex(/^sha256-[0-9a-f]{64}$/),
  changeClass: ChangeClass,
  override: z.string().max(2000).nullable(),
  content: z.string().max(4 * 1024 * 1024),
  seq: z.number().int().min(0),
  projectId: z.string().min(1).max(200),
  acceptedFrom: z.string().max(200),
  acceptedAt: z.iso.datetime({ offset: true }),
});

export function parseTeamVersion(raw: unknown): { ok: true; value: TeamVersion } | { ok: false; error: string } {
  const parsed = TeamVersionSchema.safeParse(raw);
  if (!parsed.success)
    return {
      ok: false,
      error: parsed.error.issues.map((i) => `${i.path.join('.') || 'version'}: ${i.message}`).join('; '),
    };
  const v = parsed.data;
  let json: unknown;
  try {
    json = JSON.parse(v.content);
  } catch {
    return { ok: false, error: 'its content is not JSON' };
  }
  if (typeof json !== 'object' || json === null) return { ok: false, error: 'its content is not a set' };
  if (hashJson(v.content) !== v.contentHash) return { ok: false, error: 'its content does not match its hash' };
  return { ok: true, value: v };
}
