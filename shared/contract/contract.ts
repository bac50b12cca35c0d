import type { z } from 'zod';
import type { AnvilErrorInfo, Prompt, PromptSetContent, Result, VersionInfo } from '../domain';
import { AnvilError } from '../domain';
import { ARGS } from './operations';
import type {
  AuditEntry,
  DraftSnapshot,
  ProjectInfo,
  RestoreResult,
  SearchHit,
  SetInfo,
  VersionWithContent,
} from './results';
import type { AppInfo, CatalogEntry, DocState, Overview } from './studio';
import { STUDIO_ARGS } from './studio';
import type {
  DecisionResult,
  EditModeState,
  PublishOutcome,
  RegistryNotice,
  ReviewDetail,
  ReviewSummary,
  SetPublishedState,
} from './registry';
import { REGISTRY_ARGS } from './registry';
import type { PromptUsage, UsageBreakdown, UsageScope, UsageSeries } from './usage';
import { USAGE_ARGS } from './usage';
import type { ExperimentRecord, ExperimentResultsView, SetExperiments } from './experiments';
import { EXPERIMENTS_ARGS } from './experiments';
import type { PublishedVersion, ReviewComment } from '../registry/types';
import type { SyncNotice, SyncStatus, SyncTestResult } from '../sync/status';

/**
 * The one contract between the UI and the main process: every operation the renderer may call, with its
 * argument schema and result type, and every event it may receive. The Electron preload and the browser
 * transport both implement `AnvilApi` over it; the main process dispatches it (`main/studio/dispatch.ts`).
 */
export const OPERATIONS = { ...ARGS, ...STUDIO_ARGS, ...REGISTRY_ARGS, ...USAGE_ARGS, ...EXPERIMENTS_ARGS } as const;
export type Operation = keyof typeof OPERATIONS;
export type OperationArgs<K extends Operation> = z.input<(typeof OPERATIONS)[K]>;
export type ParsedArgs<K extends Operation> = z.output<(typeof OPERATIONS)[K]>;

// `void` marks operations that answer nothing, exactly as the store functions behind them are typed;
// `undefined` would force every one of those functions to `return undefined`.
/* eslint-disable @typescript-eslint/no-invalid-void-type */
export interface OperationResults {
  'projects:create': ProjectInfo;
  'projects:rename': ProjectInfo;
  'projects:update': ProjectInfo;
  'projects:delete': ProjectInfo;
  'projects:restore': ProjectInfo;
  'projects:get': ProjectInfo;
  'projects:list': ProjectInfo[];
  'sets:create': SetInfo;
  'sets:rename': SetInfo;
  'sets:update': SetInfo;
  'sets:delete': SetInfo;
  'sets:restore': SetInfo;
  'sets:list': SetInfo[];
  'sets:content': PromptSetContent;
  'prompts:create': Prompt;
  'prompts:rename': Prompt;
  'prompts:delete': void;
  'prompts:get': Prompt;
  'prompts:setDescription': void;
  'prompts:editTemplate': void;
  'prompts:setTemplate': void;
  'prompts:addMessage': void;
  'prompts:removeMessage': void;
  'prompts:setMessageRole': void;
  'prompts:setParameters': void;
  'prompts:setModel': void;
  'prompts:duplicate': Prompt;
  'prompts:reorder': void;
  'versions:save': VersionInfo;
  'versions:list': VersionInfo[];
  'versions:get': VersionWithContent;
  'versions:restore': RestoreResult;
  'versions:snapshots': DraftSnapshot[];
  'versions:restoreSnapshot': RestoreResult;
  'versions:renumber': VersionInfo;
  'audit:list': AuditEntry[];
  'settings:get': unknown;
  'settings:set': void;
  'search:query': SearchHit[];
  'app:info': AppInfo;
  'app:overview': Overview;
  'app:catalog': CatalogEntry[];
  'docs:open': DocState;
  'docs:close': void;
  'docs:apply': void;
  'docs:awareness': void;
  'sync:status': SyncStatus;
  'sync:configure': SyncStatus;
  'sync:test': SyncTestResult;
  'sync:retry': SyncStatus;
  'registry:publish': PublishOutcome;
  'registry:published': SetPublishedState;
  'registry:setDistTag': Record<string, string>;
  'registry:deprecate': PublishedVersion;
  'registry:editMode': EditModeState;
  'registry:setEditMode': EditModeState;
  'registry:reviews': ReviewSummary[];
  'registry:review': ReviewDetail;
  'registry:comment': ReviewComment;
  'registry:decide': DecisionResult;
  'usage:scope': UsageScope;
  'usage:series': UsageSeries;
  'usage:breakdown': UsageBreakdown;
  'usage:prompt': PromptUsage;
  'experiments:list': SetExperiments;
  'experiments:save': ExperimentRecord;
  'experiments:stop': ExperimentRecord;
  'experiments:results': ExperimentResultsView;
}
/* eslint-enable @typescript-eslint/no-invalid-void-type */

// Every operation has exactly one result type, and every result type an operation: a compile error otherwise.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _everyOperationHasAResult: Exact<Operation, keyof OperationResults> = true;
void _everyOperationHasAResult;

export interface StudioEvents {
  /** Sync moved (state, pending counts, error). */
  'sync:status': SyncStatus;
  /** Something about sync the user must be told (a set renamed on merge, a version number taken). */
  'sync:notice': SyncNotice;
  /** An awareness update for a document this client opened (other editors' names and cursors). */
  'docs:awareness': { docId: string; update: string };
  /** A group of document changes committed: lists and counts that show these documents are stale. */
  'store:changed': { docIds: string[] };
  /** An update to a document this client opened, made elsewhere (an operation, a restore, later sync). */
  'docs:update': { docId: string; update: string };
  /** A failure nobody awaited (a background commit retry, compaction): for the UI to show. */
  'app:error': AnvilErrorInfo;
  /** A studio command chosen outside the page (the desktop app's menu): run it as the palette would. */
  'app:command': { command: string };
  /**
   * The channel to the main process is gone for good (the browser studio stopped, the connection dropped).
   * Raised by the renderer's own client (`createApi`), never sent by the main process: the page says so at once
   * instead of at the next action.
   */
  'app:disconnected': { reason: string };
  /** A review request this account opened changed (decided, commented): told once per change. */
  'registry:notice': RegistryNotice;
  /** Something published, tagged, reviewed or an edit mode changed from this studio: registry views reload. */
  'registry:changed': { setId?: string; projectId?: string; reviewId?: string };
}
export type StudioEvent = keyof StudioEvents;
export const STUDIO_EVENTS: readonly StudioEvent[] = [
  'store:changed',
  'docs:update',
  'app:error',
  'app:command',
  'app:disconnected',
  'sync:status',
  'sync:notice',
  'docs:awareness',
  'registry:notice',
  'registry:changed',
];

/** What the renderer holds: the preload bridge and the browser transport both implement it. */
export interface AnvilApi {
  /** Rejects with an `AnvilError` (code, message, and line/column where a template is at fault). */
  invoke<K extends Operation>(op: K, args: OperationArgs<K>): Promise<OperationResults[K]>;
  /** Returns the function that removes the listener. */
  on<E extends StudioEvent>(event: E, listener: (payload: StudioEvents[E]) => void): () => void;
}

/** The wire shapes both transports carry (IPC structured clone, WebSocket JSON). */
export type InvokeReply<T = unknown> = Result<T>;
export type ClientMessage = { type: 'invoke'; id: number; op: string; args: unknown };
export type ServerMessage =
  { type: 'reply'; id: number; reply: InvokeReply } | { type: 'event'; event: StudioEvent; payload: unknown };

export function isOperation(op: unknown): op is Operation {
  return typeof op === 'string' && Object.hasOwn(OPERATIONS, op);
}

/** Validate an untrusted call: an unknown operation or bad arguments is an `AnvilError`, never a crash. */
export function parseOperation<K extends Operation>(op: unknown, args: unknown): { op: K; args: ParsedArgs<K> } {
  if (!isOperation(op))
    throw new AnvilError({ code: 'unknown_operation', message: `There is no operation named ${JSON.stringify(op)}.` });
  const result = OPERATIONS[op].safeParse(args ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
    throw new AnvilError({
      code: 'invalid_argument',
      message: `Invalid arguments for ${op}: ${problems.join('; ')}.`,
      details: result.error.issues,
    });
  }
  return { op: op as K, args: result.data as ParsedArgs<K> };
}

/** Turn a reply back into a value or a thrown `AnvilError` (the renderer's side of both transports). */
export function unwrapReply<T>(reply: InvokeReply<T>): T {
  if (reply.ok) return reply.value;
  throw new AnvilError(reply.error);
}

/** Any thrown value as the error part of a reply; non-Anvil errors keep their message but not their stack. */
export function errorInfo(err: unknown): AnvilErrorInfo {
  if (err instanceof AnvilError) return err.toJSON();
  return { code: 'internal', message: err instanceof Error ? err.message : String(err) };
}
