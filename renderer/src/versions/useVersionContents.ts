import { useEffect, useRef, useState } from 'react';
import type { PromptSetContent, VersionInfo } from '../../../shared/domain';
import { useApi } from '../api';

const PARALLEL = 4;

/**
 * The frozen content of every version of a set, fetched in the background a few at a time (versions never
 * change, so each is fetched once per screen), with progress for the screen to show.
 */
export function useVersionContents(setId: string, versions: readonly VersionInfo[] | undefined) {
  const api = useApi();
  const cache = useRef(new Map<string, PromptSetContent>());
  const [, setTick] = useState(0);
  const [error, setError] = useState<Error | null>(null);

  useEffect(() => {
    if (!versions) return;
    let live = true;
    const queue = versions.map((v) => v.version).filter((v) => !cache.current.has(v));
    const worker = async (): Promise<void> => {
      for (let v = queue.shift(); v !== undefined && live; v = queue.shift()) {
        const got = await api.invoke('versions:get', { setId, version: v });
        if (!live) return;
        cache.current.set(v, got.content);
        setTick((t) => t + 1);
      }
    };
    Promise.all(Array.from({ length: PARALLEL }, worker)).catch(
      (e: unknown) => live && setError(e instanceof Error ? e : new Error(String(e))),
    );
    return () => {
      live = false;
    };
  }, [api, setId, versions]);

  const total = versions?.length ?? 0;
  const loaded = versions?.filter((v) => cache.current.has(v.version)).length ?? 0;
  return { contents: cache.current as ReadonlyMap<string, PromptSetContent>, loaded, total, error };
}
