import { z } from 'zod';
import { Id } from '../domain';

/**
 * Operations of the studio beyond the workspace store: what the app is, what the dashboard and palette
 * list, and the Yjs replica protocol by which the renderer edits a set's draft document.
 *
 * Why a replica: Monaco edits a `Y.Text` in the renderer (y-monaco), so typing never waits for a round trip,
 * and the same updates flow to the main process (`docs:apply`, acknowledged once durable) and back from it
 * (`docs:update` events: edits made by operations, restores, and later sync). Updates are base64 strings so
 * they cross both transports as JSON.
 */
const Base64 = z
  .string()
  .max(64 * 1024 * 1024)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64');
const noArgs = z.object({}).strict();

export const STUDIO_ARGS = {
  'app:info': noArgs,
  'app:overview': z.object({ recentLimit: z.number().int().min(1).max(100).optional() }),
  /** Every live project, set and prompt by name, for the palette's fuzzy finder. */
  'app:catalog': noArgs,
  'prompts:duplicate': z.object({ setId: Id, promptId: Id, name: z.string().optional() }),
  /** The set's prompts in the order the editor lists them (ids not given keep their relative order after). */
  'prompts:reorder': z.object({ setId: Id, promptIds: z.array(Id).max(100_000) }),
  /** The document's full state as one update; this client then receives its `docs:update` events. */
  'docs:open': z.object({ docId: Id }),
  'docs:close': z.object({ docId: Id }),
  /** Apply an update made in the renderer; resolves when it is durable. */
  'docs:apply': z.object({ docId: Id, update: Base64 }),
  /**
   * An awareness update (y-protocols) from the renderer's editor: who is here and where their cursor is.
   * Relayed to the other renderers of this studio and, when syncing, to the server.
   */
  'docs:awareness': z.object({ docId: Id, update: Base64.max(256 * 1024) }),
  /** Where sync stands (also pushed as `sync:status` events). */
  'sync:status': noArgs,
  /**
   * Change the sync settings. `token`: a string replaces the stored token (kept in secret storage, never in
   * plain text), null removes it, absent keeps it. `url: null` forgets the server.
   */
  'sync:configure': z
    .object({
      url: z.string().trim().max(2000).nullable().optional(),
      token: z.string().trim().max(1024).nullable().optional(),
      enabled: z.boolean().optional(),
      includeDemo: z.boolean().optional(),
    })
    .strict(),
  /** Ask the server whether it answers and accepts the token (the stored one when `token` is absent). */
  'sync:test': z
    .object({ url: z.string().trim().min(1).max(2000), token: z.string().trim().max(1024).optional() })
    .strict(),
  /** Try to reconnect now instead of waiting for the backoff. */
  'sync:retry': noArgs,
} as const;

export type StudioOperationName = keyof typeof STUDIO_ARGS;

export interface AppInfo {
  name: 'Anvil';
  version: string;
  /** How this studio runs: the Electron app, or served to a browser on 127.0.0.1. */
  mode: 'desktop' | 'web';
  dataDir: string;
  /** Who local changes are recorded as. */
  actor: string;
  platform: string;
}

export interface RecentPrompt {
  promptId: string;
  promptName: string;
  kind: 'text' | 'chat';
  setId: string;
  setName: string;
  projectId: string;
  projectName: string;
  /** ms since epoch of the last change to the prompt's set. */
  updatedAt: number;
}

export interface Overview {
  counts: { projects: number; sets: number; prompts: number; versions: number; trashed: number };
  recent: RecentPrompt[];
}

export type CatalogEntry =
  | { kind: 'project'; id: string; name: string }
  | { kind: 'set'; id: string; name: string; projectId: string; projectName: string }
  | {
      kind: 'prompt';
      id: string;
      name: string;
      setId: string;
      setName: string;
      projectId: string;
      projectName: string;
    };

export interface DocState {
  docId: string;
  /** base64 of `Y.encodeStateAsUpdate(doc)`. */
  update: string;
}
