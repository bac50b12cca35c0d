import { useEffect, useState, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { AnvilError } from '../../../shared/domain';
import { useApi } from '../api';
import type { Replica } from './replica';
import { acquireReplica } from './replica-cache';
import type { ReplicaLease } from './replica-cache';
import type { SaveStatus } from './update-batcher';

export interface ReplicaState {
  replica: Replica | null;
  error: AnvilError | null;
  status: SaveStatus;
}

/** The set document's replica while the component is mounted (opened, shared, closed after). */
export function useReplica(docId: string): ReplicaState {
  const api = useApi();
  const [state, setState] = useState<ReplicaState>({ replica: null, error: null, status: { state: 'saved' } });
  useEffect(() => {
    let live = true;
    const lease: ReplicaLease = acquireReplica(api, docId);
    setState({ replica: null, error: null, status: lease.status() });
    const stop = lease.onStatus((status) => live && setState((s) => ({ ...s, status })));
    lease.replica.then(
      (replica) => live && setState({ replica, error: null, status: lease.status() }),
      (err: unknown) =>
        live &&
        setState({
          replica: null,
          error: err instanceof AnvilError ? err : new AnvilError({ code: 'internal', message: String(err) }),
          status: { state: 'saved' },
        }),
    );
    return () => {
      live = false;
      stop();
      lease.release();
    };
  }, [api, docId]);
  return state;
}

/**
 * A number that changes on every change to the document (any origin): components read the doc directly
 * during render and use this to re-render. Cheap: no snapshot of the content is made.
 */
export function useDocVersion(doc: Y.Doc): number {
  return useSyncExternalStore(
    (onChange) => {
      const handler = () => {
        versions.set(doc, (versions.get(doc) ?? 0) + 1);
        onChange();
      };
      doc.on('afterTransaction', handler);
      return () => doc.off('afterTransaction', handler);
    },
    () => versions.get(doc) ?? 0,
  );
}

const versions = new WeakMap<Y.Doc, number>();
