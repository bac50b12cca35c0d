import { useEffect } from 'react';
import { useApi } from '../api';

/**
 * Calls `run` once documents have changed (`store:changed`), debounced so a burst of commits costs one call.
 * What the live data hooks (useQuery, useLiveAsync) share.
 */
export function useStoreChanged(run: () => void, debounceMs: number, enabled = true): void {
  const api = useApi();
  useEffect(() => {
    if (!enabled) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = api.on('store:changed', () => {
      clearTimeout(timer);
      timer = setTimeout(run, debounceMs);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [api, run, enabled, debounceMs]);
}
