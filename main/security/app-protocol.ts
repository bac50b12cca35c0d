import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { contentSecurityPolicy } from './csp';
import { isAppUrl } from './origin';

/**
 * The `anvil://app/` protocol handler's logic: serve a file of the built renderer (`out/renderer`) and nothing
 * else. Refused: any method but GET/HEAD, another host, `..` in any spelling (`..`, `%2e%2e`, `%2E.`), encoded
 * separators (`%2f`, `%5c`), backslashes, NUL, and any path that resolves (symlinks included) outside the root.
 * The Electron shell passes `protocol.handle`'s Request straight in; the tests call it directly.
 */
export interface AppRequest {
  url: string;
  method: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export type Resolved = { ok: true; file: string } | { ok: false; status: 400 | 403 | 404; reason: string };

/**
 * Map a request URL to a file path under `root`, or say why not. Pure string work (no file system): the raw
 * URL is checked before any decoding, because a URL parser normalises `%2e%2e` into `..` and then removes it,
 * which would hide the attempt rather than refuse it.
 */
export function resolveAppPath(root: string, url: string): Resolved {
  if (!isAppUrl(url)) return { ok: false, status: 403, reason: 'not the app origin' };
  const rawPath = url
    .slice(url.indexOf('//') + 2)
    .replace(/^[^/?#]*/, '')
    .replace(/[?#].*$/s, '');
  if (/\.\.|%2e|%2f|%5c|%00|\\|\0/i.test(rawPath)) return { ok: false, status: 403, reason: 'path traversal' };
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    return { ok: false, status: 400, reason: 'malformed path' };
  }
  if (pathname.includes('\0')) return { ok: false, status: 403, reason: 'path traversal' };
  const rel = pathname === '/' || pathname === '' ? 'index.html' : pathname.replace(/^\/+/, '');
  const base = resolve(root);
  const file = resolve(base, rel);
  if (!isInside(base, file)) return { ok: false, status: 403, reason: 'path traversal' };
  return { ok: true, file };
}

/** Answer one request of the app protocol: the file's bytes with its type and our CSP, or a bare error. */
export async function serveAppRequest(root: string, request: AppRequest): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'method not allowed');
  const resolved = resolveAppPath(root, request.url);
  if (!resolved.ok) return refuse(resolved.status, resolved.reason);
  let real: string;
  try {
    // A symlink inside out/renderer must not lead outside it either.
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(resolved.file)]);
    if (!isInside(realRoot, realFile)) return refuse(403, 'path traversal');
    if (!(await stat(realFile)).isFile()) return refuse(404, 'not found');
    real = realFile;
  } catch {
    return refuse(404, 'not found');
  }
  const body = request.method === 'HEAD' ? null : await readFile(real);
  return new Response(body, {
    status: 200,
    headers: {
      'Content-Type': TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream',
      'Content-Security-Policy': contentSecurityPolicy(),
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    },
  });
}

function isInside(base: string, file: string): boolean {
  const rel = relative(base, file);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel) && join(base, rel) === file;
}

function refuse(status: number, reason: string): Response {
  return new Response(reason, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  });
}
