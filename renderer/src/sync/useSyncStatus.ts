import { useEffect, useSyncExternalStore } from 'react';
import type { AnvilApi } from '../../../shared/contract';
import type { SyncStatus } from '../../../shared/sync/status';
import { useApi } from '../api';

/**
 * The sync status, shared by every component that shows it (the shell's indicator, the settings, presence): one
 * `sync:status` call at start and the `sync:status` events after, per studio connection.
 */
interface StatusStore {
  current: SyncStatus | null;
  listeners: Set<() => void>;
  users: number;
  stop: (() => void) | null;
}

const stores = new WeakMap<AnvilApi, StatusStore>();

function storeFor(api: AnvilApi): StatusStore {
  let store = stores.get(api);
  if (!store) stores.set(api, (store = { current: null, listeners: new Set(), users: 0, stop: null }));
  return store;
}

function publish(store: StatusStore, status: SyncStatus): void {
  store.current = status;
  for (const listener of store.listeners) listener();
}

/** Start listening (first user) and ask for the current status; returns the function that lets go. */
function retain(api: AnvilApi, store: StatusStore): () => void {
  store.users++;
  if (store.users === 1) {
    let live = true;
    let evented = false;
    const off = api.on('sync:status', (status) => {
      evented = true;
      publish(store, status);
    });
    api.invoke('sync:status', {}).then(
      // An event that arrived while the call was under way is newer than its answer.
      (status) => live && !evented && publish(store, status),
      () => undefined,
    );
    store.stop = () => {
      live = false;
      off();
    };
  }
  return () => {
    store.users--;
    if (store.users === 0) {
      store.stop?.();
      store.stop = null;
    }
  };
}

/** The latest sync status, or null until the first answer. */
export function useSyncStatus(): SyncStatus | null {
  const api = useApi();
  const store = storeFor(api);
  useEffect(() => retain(api, store), [api, store]);
  return useSyncExternalStore(
    (listener) => {
      store.listeners.add(listener);
      return () => store.listeners.delete(listener);
    },
    () => store.current,
  );
}

/** Replaces the shared status with the answer of an operation (`sync:configure`, `sync:retry`). */
export function setSyncStatus(api: AnvilApi, status: SyncStatus): void {
  publish(storeFor(api), status);
}
