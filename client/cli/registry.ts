import { AnvilSdkError } from '../sdk/errors';
import { createRegistryClient } from '../sdk/registry-client';
import type { RegistryClient } from '../sdk/registry-client';
import type { GraphSource } from '../../shared/registry/resolve-graph';
import type { PackageMetadata } from '../../shared/registry/types';
import { requireRegistry } from './context';
import type { Context } from './context';

/** A registry client for a command: the SDK's (timeouts, retries with backoff, verified downloads). */
export function registryClient(ctx: Context, options: { timeoutMs?: number; retries?: number } = {}): RegistryClient {
  return createRegistryClient({
    registry: requireRegistry(ctx),
    token: ctx.token,
    timeoutMs: options.timeoutMs ?? 10_000,
    retries: options.retries ?? 2,
  });
}

/** A package's metadata, or null when the registry does not have it. */
export async function metadataOrNull(client: RegistryClient, name: string): Promise<PackageMetadata | null> {
  try {
    const answer = await client.metadata(name);
    return answer.notModified ? null : answer.metadata;
  } catch (err) {
    if (err instanceof AnvilSdkError && (err.code === 'unknown_package' || err.status === 404)) return null;
    throw err;
  }
}

/** What resolveGraph asks the registry (as `pull` does). */
export const graphSource = (client: RegistryClient): GraphSource => ({
  metadata: (name) => metadataOrNull(client, name),
});

/** `1.2 kB` */
export function bytesText(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(1)} kB`;
  return `${(n / 1_000_000).toFixed(1)} MB`;
}
