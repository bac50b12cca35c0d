import { useCallback, useEffect, useRef, useState } from 'react';
import { useApi } from '../api';
import { notifyError } from '../notices/notices';
import { asSamples, samplesKey } from './samples';

export interface Samples {
  /** The author's own sample values of this prompt (generated ones are not stored). */
  stored: Record<string, unknown>;
  set(name: string, value: unknown): void;
  /** Remember the samples now (on leaving a field: not one settings write per keystroke). */
  commit(): void;
  /** Forget every stored sample of this prompt (back to defaults and generated values). */
  reset(): void;
}

/** Sample values remembered per prompt in the workspace settings (`samples.<promptId>`). */
export function useSamples(promptId: string | undefined): Samples {
  const api = useApi();
  const [state, setState] = useState<{ promptId: string | undefined; stored: Record<string, unknown> }>({
    promptId,
    stored: {},
  });
  const latest = useRef(state);
  latest.current = state;
  const dirty = useRef(false);

  useEffect(() => {
    if (!promptId) return;
    let live = true;
    setState({ promptId, stored: {} });
    api.invoke('settings:get', { key: samplesKey(promptId) }).then(
      (value) => live && setState({ promptId, stored: asSamples(value) }),
      (err: unknown) => live && notifyError(err, 'Could not load the sample values'),
    );
    return () => {
      live = false;
    };
  }, [api, promptId]);

  const write = useCallback(
    (id: string, stored: Record<string, unknown>) => {
      api
        .invoke('settings:set', { key: samplesKey(id), value: Object.keys(stored).length ? stored : null })
        .catch((err: unknown) => notifyError(err, 'Could not remember the sample values'));
    },
    [api],
  );

  const set = useCallback((name: string, value: unknown) => {
    dirty.current = true;
    setState((s) => ({ ...s, stored: { ...s.stored, [name]: value } }));
  }, []);

  const commit = useCallback(() => {
    const { promptId: id, stored } = latest.current;
    if (!dirty.current || !id) return;
    dirty.current = false;
    write(id, stored);
  }, [write]);

  const reset = useCallback(() => {
    const id = latest.current.promptId;
    dirty.current = false;
    setState((s) => ({ ...s, stored: {} }));
    if (id) write(id, {});
  }, [write]);

  return { stored: state.promptId === promptId ? state.stored : {}, set, commit, reset };
}
