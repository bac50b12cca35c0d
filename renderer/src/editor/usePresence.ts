import { useEffect, useMemo, useSyncExternalStore } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { IDENTITY_KEY, asIdentity } from '../data/identity';
import { useQuery } from '../data/useQuery';
import { useSyncStatus } from '../sync/useSyncStatus';
import type { Peer, PresenceUser } from './presence';
import { cursorStyles, peersOf, presenceUser } from './presence';

/**
 * Who this person is to colleagues: the identity's name from Settings, else the sync account's name, else the
 * studio's actor. The colour follows from the name, so it is the same in every studio.
 */
export function useLocalUser(): PresenceUser {
  const identity = useQuery('settings:get', { key: IDENTITY_KEY }, { live: false });
  const info = useQuery('app:info', {}, { live: false });
  const sync = useSyncStatus();
  const name = asIdentity(identity.data).name.trim() || sync?.account || info.data?.actor || '';
  return useMemo(() => presenceUser(name), [name]);
}

/**
 * Publishes "I am in this prompt" while the calling component is mounted (the prompt workspace), and takes it
 * back when it unmounts: leaving the prompt clears the local state, so the others stop seeing us there.
 */
export function usePublishPresence(awareness: Awareness | null, promptId: string, user: PresenceUser): void {
  useEffect(() => {
    if (!awareness) return;
    awareness.setLocalState({ user, promptId });
    return () => awareness.setLocalState(null);
  }, [awareness, promptId, user]);
}

const NO_PEERS: Peer[] = [];
const peerCache = new WeakMap<Awareness, Peer[]>();

/** Everyone else in the document, re-read when the awareness changes. */
export function usePeers(awareness: Awareness | null): Peer[] {
  return useSyncExternalStore(
    (onChange) => {
      if (!awareness) return () => {};
      const handler = () => {
        peerCache.delete(awareness);
        onChange();
      };
      awareness.on('change', handler);
      return () => awareness.off('change', handler);
    },
    () => {
      if (!awareness) return NO_PEERS;
      let peers = peerCache.get(awareness);
      if (!peers) peerCache.set(awareness, (peers = peersOf(awareness)));
      return peers;
    },
  );
}

/**
 * Keeps a style sheet with each peer's cursor colour and name label (y-monaco only adds class names per client)
 * while the calling component is mounted.
 */
export function useCursorStyles(peers: readonly Peer[]): void {
  const css = useMemo(() => cursorStyles(peers), [peers]);
  useEffect(() => {
    const style = document.createElement('style');
    style.dataset.anvil = 'remote-cursors';
    style.textContent = css;
    document.head.appendChild(style);
    return () => style.remove();
  }, [css]);
}
