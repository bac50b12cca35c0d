import { useCallback, useEffect, useRef, useState } from 'react';
import type { Operation, OperationArgs, OperationResults } from '../../../shared/contract';
import { AnvilError } from '../../../shared/domain';
import { useApi } from '../api';
import { useStoreChanged } from './useStoreChanged';

export interface QueryState<T> {
  /** The latest result; kept while a refresh runs so lists do not flash empty. */
  data: T | undefined;
  error: AnvilError | null;
  /** True while the first result (or the result for new arguments) is awaited. */
  loading: boolean;
  /** Run the operation again now. */
  reload(): void;
}

export interface QueryOptions {
  /** False to not run (e.g. an empty search box). */
  enabled?: boolean;
  /** Re-run when documents change (`store:changed`); default true. */
  live?: boolean;
  /** Wait this long after a change before re-running, so a burst of commits costs one query. */
  debounceMs?: number;
  /** Show the previous arguments' result while the new one loads (search as you type); default false. */
  keepPrevious?: boolean;
}

/**
 * Runs a contract operation and keeps its result fresh: it re-runs when the arguments change and, debounced,
 * on `store:changed` events. Replies that arrive after a newer call was made are ignored, so a slow answer to
 * an old search never replaces the answer to the current one.
 */
export function useQuery<K extends Operation>(
  op: K,
  args: OperationArgs<K>,
  options: QueryOptions = {},
): QueryState<OperationResults[K]> {
  const api = useApi();
  const { enabled = true, live = true, debounceMs = 150, keepPrevious = false } = options;
  const key = JSON.stringify(args);
  const [state, setState] = useState<{ key: string; data: OperationResults[K] | undefined; error: AnvilError | null }>({
    key: '',
    data: undefined,
    error: null,
  });
  const [pending, setPending] = useState(enabled);
  const seq = useRef(0);

  const run = useCallback(() => {
    const mine = ++seq.current;
    setPending(true);
    api.invoke(op, JSON.parse(key) as OperationArgs<K>).then(
      (data) => {
        if (mine !== seq.current) return;
        setState({ key, data, error: null });
        setPending(false);
      },
      (err: unknown) => {
        if (mine !== seq.current) return;
        const error = err instanceof AnvilError ? err : new AnvilError({ code: 'internal', message: String(err) });
        setState((s) => ({ key, data: s.key === key ? s.data : undefined, error }));
        setPending(false);
      },
    );
  }, [api, op, key]);

  useEffect(() => {
    if (!enabled) {
      seq.current++; // drop any reply in flight
      setPending(false);
      return;
    }
    run();
  }, [run, enabled]);

  useStoreChanged(run, debounceMs, enabled && live);

  const current = state.key === key;
  return {
    data: enabled && (current || keepPrevious) ? state.data : undefined,
    error: enabled && current ? state.error : null,
    loading: enabled && pending && (!current || state.data === undefined),
    reload: run,
  };
}

/** `value`, updated only after it stopped changing for `ms` (search as you type). */
export function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}
