/**
 * Where the desktop app's own pages live: a custom privileged scheme (`anvil://app/`), not `file://`, so the
 * page has a real origin of its own ('self' in the CSP means only our files), path traversal is refused in
 * one place (`app-protocol.ts`), and nothing on disk outside `out/renderer` is reachable from the page.
 */
export const APP_SCHEME = 'anvil';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * True only for a URL on our own origin. Compared by scheme and host, because for a non-special scheme
 * WHATWG `URL.origin` is the opaque "null" (it would make every custom-scheme URL look alike). A URL with
 * credentials or an explicit port is not ours either.
 */
export function isAppUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  return (
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}
