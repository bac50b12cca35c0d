import type { Database } from 'better-sqlite3';
import { join } from 'node:path';
import type { DocKind } from '../../shared/doc';
import { AnvilError } from '../../shared/domain';
import type { PromptSetContent, VersionInfo } from '../../shared/domain';
import type { AuditEntry } from './audit';
import { createAuditRecorder, listAudit } from './audit';
import type { StoreContext } from './context';
import { openDatabase } from './db';
import { DocStore } from './docs/doc-store';
import type { DocStoreApi, Projector } from './docs/types';
import { createProjector, projectionNeedsRebuild, rebuildProjection } from './projection';
import type { SearchHit } from './search';
import { search } from './search';
import type { DraftSnapshot, RestoreResult, VersionWithContent } from './versions';
import {
  getVersion,
  listSnapshots,
  listVersions,
  renumberVersion,
  restoreSnapshot,
  restoreVersion,
  saveVersion,
} from './versions';
import type { Args } from '../../shared/contract/operations';
import { parseArgs } from '../../shared/contract/operations';
import { editingOps } from './workspace/editing';
import { notFound } from './workspace/errors';
import { Lock } from './workspace/lock';
import { orderingOps } from './workspace/ordering';
import { projectOps } from './workspace/projects';
import { promptOps } from './workspace/prompts';
import { setOps } from './workspace/sets';
import { settingsOps } from './workspace/settings';
import type { WorkspaceContext } from './workspace/context';
import { requireDoc } from './workspace/context';

export interface OpenWorkspaceOptions {
  /** The workspace database file (created if absent), or ':memory:' for tests. */
  file: string;
  /** Who this studio's local changes are by, as the audit log names them. */
  actor: string;
  /** Longest an edit waits for its group commit (default: the DocStore's, ≤ 100 ms). */
  maxDelayMs?: number;
  /** Clock (ms since epoch) for audit rows, versions and projection times; tests inject one. */
  now?: () => number;
  /** Failures nobody awaits (a background retry of a failed commit, compaction): for the UI to show. */
  onError?: (err: AnvilError) => void;
  /** A better-sqlite3 addon built for this runtime's ABI (the desktop app's Electron build); see `openDatabase`. */
  nativeBinding?: string;
  /** More projectors, run in every commit transaction after the store's own (the sync engine's pending count). */
  projectors?: readonly Projector[];
}

/**
 * The local store as one object: every operation of the studio on its workspace, grouped by namespace.
 * Each method takes one JSON object (validated by the zod schemas of `workspace/args.ts`), returns JSON, and
 * resolves only once its write is durable; failures are `AnvilError`s with a code. So a later IPC/HTTP
 * contract can expose `projects.create` as the operation `projects:create` as it is.
 */
export interface Workspace {
  projects: ReturnType<typeof projectOps>;
  sets: ReturnType<typeof setOps>;
  prompts: ReturnType<typeof promptOps> & ReturnType<typeof editingOps> & ReturnType<typeof orderingOps>;
  versions: {
    save(args: Args<'versions:save'>): Promise<VersionInfo>;
    /** Newest first, without content. */
    list(args: Args<'versions:list'>): Promise<VersionInfo[]>;
    get(args: Args<'versions:get'>): Promise<VersionWithContent>;
    /** Make a version the draft; the draft before is kept as an automatic snapshot. */
    restore(args: Args<'versions:restore'>): Promise<RestoreResult>;
    snapshots(args: Args<'versions:snapshots'>): Promise<DraftSnapshot[]>;
    restoreSnapshot(args: Args<'versions:restoreSnapshot'>): Promise<RestoreResult>;
    /** After a clash on the server: save the version's content under another number (`versions/renumber.ts`). */
    renumber(args: Args<'versions:renumber'>): Promise<VersionInfo>;
  };
  audit: { list(args?: Args<'audit:list'>): Promise<AuditEntry[]> };
  settings: ReturnType<typeof settingsOps>;
  search: { query(args: Args<'search:query'>): Promise<SearchHit[]> };
  /** The set's draft content (same as `sets.content`). */
  getSetContent(setId: string): Promise<PromptSetContent>;
  /** For tests and tools in this process (the seed, benchmarks); never exposed over IPC. */
  readonly internals: {
    db: Database;
    docs: DocStoreApi;
    /** A version was saved or renumbered here (version sync proposes it soon). */
    onVersionSaved(listener: (version: VersionInfo) => void): () => void;
  };
  /** Commit what is pending, then close the documents and the database. */
  close(): Promise<void>;
}

/** Where a data directory keeps its workspace database. */
export function workspaceFile(dataDir: string): string {
  return join(dataDir, 'workspace.db');
}

export async function openWorkspace(options: OpenWorkspaceOptions): Promise<Workspace> {
  if (!options.actor.trim() || options.actor.length > 128)
    throw new AnvilError({
      code: 'invalid_argument',
      message: 'The actor (who the changes are by) must be 1 to 128 characters.',
    });
  const db = openDatabase(options.file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  const now = options.now ?? Date.now;
  const audit = createAuditRecorder({ actor: options.actor, now });
  let docs: DocStore;
  try {
    docs = new DocStore(db, {
      projectors: [createProjector({ now }), audit.projector, ...(options.projectors ?? [])],
      now,
      ...(options.maxDelayMs !== undefined ? { maxDelayMs: options.maxDelayMs } : {}),
      ...(options.onError ? { onError: options.onError } : {}),
    });
    audit.watch(docs);
    // Rows built by another projection version (or a workspace from before migration 002): rebuild them from
    // the documents before the first commit, as the projection asks of whoever opens the workspace.
    if (projectionNeedsRebuild(db)) {
      const all = (['project', 'set'] as DocKind[]).flatMap((kind) =>
        docs.list(kind).flatMap((docId) => {
          const doc = docs.get(docId);
          return doc ? [{ docId, kind, doc }] : [];
        }),
      );
      rebuildProjection(db, all, now());
    }
  } catch (err) {
    db.close();
    throw err;
  }
  const ctx: WorkspaceContext = { db, docs, audit, names: new Lock() };
  return workspaceOf(ctx);
}

function workspaceOf(ctx: WorkspaceContext): Workspace {
  const store: StoreContext = ctx;
  const sets = setOps(ctx);
  const savedListeners = new Set<(version: VersionInfo) => void>();
  const saved = (version: VersionInfo): VersionInfo => {
    for (const l of savedListeners) {
      try {
        l(version);
      } catch {
        // A listener's failure is its own; the save is durable and answered regardless.
      }
    }
    return version;
  };
  let closed: Promise<void> | undefined;
  return {
    projects: projectOps(ctx),
    sets,
    prompts: { ...promptOps(ctx), ...editingOps(ctx), ...orderingOps(ctx) },
    versions: {
      async save(args) {
        const a = parseArgs('versions:save', args);
        requireDoc(ctx, a.setId, 'set');
        return saved(
          await saveVersion(store, a.setId, { version: a.version, changelog: a.changelog, override: a.override }),
        );
      },
      async list(args) {
        return listVersions(ctx.db, parseArgs('versions:list', args).setId);
      },
      async get(args) {
        const a = parseArgs('versions:get', args);
        const v = getVersion(ctx.db, a.setId, a.version, a.id);
        if (!v) throw notFound('version', `${a.setId}@${a.version}`);
        return v;
      },
      async restore(args) {
        const a = parseArgs('versions:restore', args);
        requireDoc(ctx, a.setId, 'set');
        return restoreVersion(store, a.setId, a.version);
      },
      async snapshots(args) {
        return listSnapshots(ctx.db, parseArgs('versions:snapshots', args).setId);
      },
      async restoreSnapshot(args) {
        return restoreSnapshot(store, parseArgs('versions:restoreSnapshot', args).snapshotId);
      },
      async renumber(args) {
        const a = parseArgs('versions:renumber', args);
        return saved(
          renumberVersion(store, a.setId, {
            version: a.version,
            newVersion: a.newVersion,
            ...(a.override !== undefined ? { override: a.override } : {}),
          }),
        );
      },
    },
    audit: {
      async list(args = {}) {
        return listAudit(ctx.db, parseArgs('audit:list', args));
      },
    },
    settings: settingsOps(ctx),
    search: {
      async query(args) {
        const { query, ...scope } = parseArgs('search:query', args);
        const result = search(ctx.db, query, scope);
        if (!result.ok) throw new AnvilError(result.error);
        return result.value;
      },
    },
    getSetContent: (setId) => sets.content({ setId }),
    internals: {
      db: ctx.db,
      docs: ctx.docs,
      onVersionSaved(listener) {
        savedListeners.add(listener);
        return () => savedListeners.delete(listener);
      },
    },
    close() {
      closed ??= (async () => {
        try {
          await ctx.docs.close();
        } finally {
          ctx.db.close();
        }
      })();
      return closed;
    },
  };
}
