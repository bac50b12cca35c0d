import { useCallback, useEffect, useRef, useState } from 'react';
import { AnvilError } from '../../../shared/domain';
import { useStoreChanged } from './useStoreChanged';

/**
 * Like useQuery, for data that takes several operations (the trash gathers sets from every project): runs
 * `load` when `key` changes and, debounced, on `store:changed`; replies to superseded runs are dropped.
 */
export function useLiveAsync<T>(load: () => Promise<T>, key: string, debounceMs = 200) {
  const [state, setState] = useState<{ data: T | undefined; error: AnvilError | null; loading: boolean }>({
    data: undefined,
    error: null,
    loading: true,
  });
  const seq = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const run = useCallback(() => {
    const mine = ++seq.current;
    setState((s) => ({ ...s, loading: true }));
    loadRef.current().then(
      (data) => {
        if (mine === seq.current) setState({ data, error: null, loading: false });
      },
      (err: unknown) => {
        if (mine !== seq.current) return;
        const error = err instanceof AnvilError ? err : new AnvilError({ code: 'internal', message: String(err) });
        setState((s) => ({ ...s, error, loading: false }));
      },
    );
  }, []);

  useEffect(() => run(), [run, key]);
  useStoreChanged(run, debounceMs);

  return { ...state, reload: run };
}
