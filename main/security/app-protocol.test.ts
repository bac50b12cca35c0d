import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveAppPath, serveAppRequest } from './app-protocol';

const base = mkdtempSync(join(tmpdir(), 'anvil-protocol-'));
const root = join(base, 'renderer');
mkdirSync(join(root, 'assets'), { recursive: true });
writeFileSync(join(root, 'index.html'), '<!doctype html><title>Anvil</title>');
writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
writeFileSync(join(root, 'assets', 'a b.css'), 'body{}');
writeFileSync(join(base, 'secret.txt'), 'secret');
symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => serveAppRequest(root, { url, method });

describe('the anvil://app protocol', () => {
  it('serves the renderer with its type, our CSP and nosniff', async () => {
    const res = await get('anvil://app/index.html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>Anvil</title>');
    const js = await get('anvil://app/assets/app.js?v=1#x');
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await js.text()).toBe('console.log(1)');
  });

  it('serves index.html for the bare origin and decodes escaped names', async () => {
    expect(await (await get('anvil://app/')).text()).toContain('Anvil');
    expect(await (await get('anvil://app/assets/a%20b.css')).text()).toBe('body{}');
  });

  it.each([
    'anvil://app/../secret.txt',
    'anvil://app/assets/../../secret.txt',
    'anvil://app/%2e%2e/secret.txt',
    'anvil://app/%2E%2E/secret.txt',
    'anvil://app/.%2e/secret.txt',
    'anvil://app/assets%2f..%2f..%2fsecret.txt',
    'anvil://app/..%5csecret.txt',
    'anvil://app/..\\secret.txt',
    'anvil://app/index.html%00.js',
  ])('refuses traversal %s', async (url) => {
    const res = await get(url);
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('secret');
  });

  it('refuses a symlink that leads outside the root', async () => {
    const res = await get('anvil://app/assets/link.txt');
    expect(res.status).toBe(403);
  });

  it('refuses other hosts and schemes, other methods, and answers 404 for missing files and folders', async () => {
    expect((await get('anvil://evil/index.html')).status).toBe(403);
    expect((await get('file:///etc/passwd')).status).toBe(403);
    expect((await get('anvil://app/index.html', 'POST')).status).toBe(405);
    expect((await get('anvil://app/nope.js')).status).toBe(404);
    expect((await get('anvil://app/assets')).status).toBe(404);
    expect((await get('anvil://app/%E0%A4%A')).status).toBe(400);
  });

  it('answers HEAD without a body', async () => {
    const res = await get('anvil://app/index.html', 'HEAD');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  it('resolves paths without touching the disk', () => {
    expect(resolveAppPath('/r', 'anvil://app/assets/x.js')).toEqual({ ok: true, file: '/r/assets/x.js' });
    expect(resolveAppPath('/r', 'anvil://app/')).toEqual({ ok: true, file: '/r/index.html' });
    expect(resolveAppPath('/r', 'anvil://app//etc/passwd')).toEqual({ ok: true, file: '/r/etc/passwd' });
  });
});
