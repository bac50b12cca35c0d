import { useSyncExternalStore } from 'react';

/**
 * Hash routing with the query inside the hash (`#/search?q=tone`), for wouter's Router `hook`/`searchHook`.
 * wouter's own hash hook puts the query in the page URL's search part instead, where it outlives the screen
 * it belongs to and mixes with the launch secret; keeping everything after `#` makes a route one string.
 */
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());

function subscribe(listener: () => void): () => void {
  if (listeners.size === 0) window.addEventListener('hashchange', notify);
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) window.removeEventListener('hashchange', notify);
  };
}

function hashRoute(): string {
  return '/' + window.location.hash.replace(/^#?\/?/, '');
}

const currentPath = () => hashRoute().split('?')[0] ?? '/';
const currentSearch = () => hashRoute().split('?').slice(1).join('?');

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const oldURL = window.location.href;
  const url = new URL(oldURL);
  url.hash = '/' + to.replace(/^#?\/?/, '');
  if (url.href === oldURL) return;
  window.history[options.replace ? 'replaceState' : 'pushState'](null, '', url.href);
  window.dispatchEvent(new HashChangeEvent('hashchange', { oldURL, newURL: url.href }));
}

export function useHashRoute(): [string, (to: string, options?: { replace?: boolean }) => void] {
  return [useSyncExternalStore(subscribe, currentPath), navigate];
}
useHashRoute.hrefs = (href: string) => '#' + href;
function useHashSearch(): string {
  return useSyncExternalStore(subscribe, currentSearch);
}
useHashRoute.searchHook = useHashSearch;
