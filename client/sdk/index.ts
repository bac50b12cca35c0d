export { createAnvil } from './anvil';
export type {
  Anvil,
  AnvilOptions,
  AnvilPrompts,
  GetArgs,
  GetOptions,
  Mode,
  PromptKey,
  PromptParams,
  UpdateEvent,
} from './anvil';
export type { GetResult, Rendered, RenderedBase } from './result';
export type { OutcomeInput, UsageOptions, UsageStats } from './usage';
export { SPAN_NAME, METRIC_RENDERS, METRIC_DURATION, TELEMETRY_ATTRIBUTES } from './usage';
export type { UsageEvent, RenderEvent, OutcomeEvent, UsageBatch, UsageBatchResult } from '../../shared/usage/types';
export { AnvilSdkError } from './errors';
export type { AnvilSdkErrorInfo } from './errors';
export { pull } from './pull';
export type { PullOptions, PullResult } from './pull';
export { createRegistryClient } from './registry-client';
export type { RegistryClient, RegistryClientOptions, FetchLike, MetadataAnswer } from './registry-client';
export { openDiskCache } from './disk-cache';
export type { DiskCache, CachedMetadata } from './disk-cache';
export { selectionKey, parseRequest } from './resolver';
export type { Request as ParsedAddress } from './resolver';
export { parseManifest, serializeManifest, validateManifest, MANIFEST_FILE } from '../../shared/registry/manifest';
export type { ConsumerManifest } from '../../shared/registry/manifest';
export { parseLockfile, serializeLockfile, lockMismatch, LOCKFILE_NAME } from '../../shared/registry/lockfile';
export type { Lockfile, LockedSet } from '../../shared/registry/lockfile';
export { resolveGraph, graphToLockfile } from '../../shared/registry/resolve-graph';
// Types the values above carry, so a consumer can name them.
export type { Source } from './memory-cache';
export type { ChatMessage } from '../../shared/template/chat';
export type { ChatRole } from '../../shared/domain/prompt';
export type { ModelSettings, ToolDefinition } from '../../shared/domain/model-settings';
export type { TokenCount } from '../../shared/tokens/count';
export type { AnvilErrorInfo } from '../../shared/domain/result';
