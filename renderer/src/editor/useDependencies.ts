import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import type { AnvilApi } from '../../../shared/contract';
import { dependencies as dependenciesOf } from '../../../shared/doc/schema';
import type { PromptSetContent } from '../../../shared/domain';
import { resolveDependencies } from './dependencies';

export interface DependencyState {
  sets: Readonly<Record<string, PromptSetContent>>;
  /** One sentence per dependency that could not be resolved. */
  problems: readonly string[];
}

const NONE: DependencyState = { sets: {}, problems: [] };

/** The saved versions the set's dependencies resolve to, reloaded when the set's `dependencies` change. */
export function useDependencies(api: Pick<AnvilApi, 'invoke'>, doc: Y.Doc | null): DependencyState {
  const [state, setState] = useState<DependencyState>(NONE);
  useEffect(() => {
    if (!doc) return;
    const map = dependenciesOf(doc);
    let run = 0;
    const load = () => {
      const mine = ++run;
      const wanted = Object.fromEntries(map.entries());
      if (Object.keys(wanted).length === 0) return setState(NONE);
      resolveDependencies(api, wanted).then(
        (resolved) => mine === run && setState({ sets: resolved.sets, problems: Object.values(resolved.problems) }),
        (err: unknown) =>
          mine === run && setState({ sets: {}, problems: [`The dependencies could not be loaded: ${String(err)}`] }),
      );
    };
    load();
    map.observe(load);
    return () => {
      run++;
      map.unobserve(load);
    };
  }, [api, doc]);
  return state;
}
