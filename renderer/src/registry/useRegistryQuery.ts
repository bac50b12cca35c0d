import { useEffect } from 'react';
import type { Operation, OperationArgs } from '../../../shared/contract';
import { useApi } from '../api';
import type { QueryState } from '../data/useQuery';
import { useQuery } from '../data/useQuery';
import type { OperationResults } from '../../../shared/contract';

/**
 * A registry operation's result, kept fresh by `registry:changed` events (something published or reviewed from
 * this studio) and, with `pollMs`, every so often (colleagues act on the server too). Not on `store:changed`:
 * every keystroke commits, and each call here is a round trip to the server.
 */
export function useRegistryQuery<K extends Operation>(
  op: K,
  args: OperationArgs<K>,
  options: { enabled?: boolean; pollMs?: number } = {},
): QueryState<OperationResults[K]> {
  const api = useApi();
  const enabled = options.enabled ?? true;
  const q = useQuery(op, args, { live: false, enabled });
  const { reload } = q;
  useEffect(() => (enabled ? api.on('registry:changed', () => reload()) : undefined), [api, reload, enabled]);
  useEffect(() => {
    if (!enabled || !options.pollMs) return;
    const timer = setInterval(reload, options.pollMs);
    return () => clearInterval(timer);
  }, [reload, enabled, options.pollMs]);
  return q;
}
