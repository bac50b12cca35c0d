import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGISTRY_PATHS } from '../../shared/registry/api';
import { removeDirs, tempDir } from '../server/testing';
import type { RegistryWorld } from './http-fixtures';
import { openRegistryWorld, setContent } from './http-fixtures';
import { REGISTRY_ROUTES } from './http';
import { openApiDocument } from './openapi';

const dirs: string[] = [];
let w: RegistryWorld;
beforeAll(async () => {
  w = await openRegistryWorld(tempDir(dirs));
  await w.publish(setContent(), '1.0.0');
});
afterAll(async () => {
  await w.close();
  removeDirs(dirs);
});

interface Doc {
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown>; responses: Record<string, unknown> };
}
const METHODS = ['get', 'post', 'put', 'delete'] as const;
const SAMPLE: Record<string, string> = {
  project: 'acme',
  set: 'support',
  version: '1.0.0',
  tag: 'beta',
  projectName: 'acme',
  projectId: 'p1',
  id: 'r-unknown',
};

/** The status and error code of one request; streams (the feed) are cut once their headers arrived. */
async function probe(method: string, path: string): Promise<{ status: number; code: string | null }> {
  const abort = new AbortController();
  const res = await fetch(`${w.server.httpUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${w.tokens.ed}`,
      ...(method === 'POST' || method === 'PUT' ? { 'content-type': 'application/json' } : {}),
    },
    ...(method === 'POST' || method === 'PUT' ? { body: '{}' } : {}),
    signal: abort.signal,
  });
  let code: string | null = null;
  if ((res.headers.get('content-type') ?? '').startsWith('application/json') && res.status >= 400)
    code = ((await res.json()) as { error: { code: string } }).error.code;
  abort.abort();
  return { status: res.status, code };
}

describe('the OpenAPI document', () => {
  it('is served without a token, as the same bytes each time, and every $ref resolves', async () => {
    const a = await fetch(`${w.server.httpUrl}/api/openapi.json`);
    expect(a.status).toBe(200);
    const text = await a.text();
    expect(await (await fetch(`${w.server.httpUrl}/api/openapi.json`)).text()).toBe(text);
    const doc = JSON.parse(text) as Doc;
    expect(doc.openapi).toBe('3.1.0');
    for (const [, name] of text.matchAll(/"\$ref":"#\/components\/(?:schemas|responses)\/([^"]+)"/g))
      expect(doc.components.schemas[name as string] ?? doc.components.responses[name as string], name).toBeDefined();
    expect(doc).toEqual(JSON.parse(JSON.stringify(openApiDocument({ registry: true }))));
  });

  it('documents every registry route, and nothing the router does not answer', () => {
    const doc = openApiDocument({ registry: true }) as unknown as Doc;
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) =>
        METHODS.filter((m) => m in ops).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    for (const r of REGISTRY_ROUTES) expect(documented, `${r.method} ${r.path}`).toContain(`${r.method} ${r.path}`);
    const registryPaths = [...documented].filter((x) => / \/api\/(registry|reviews)|edit-mode|published/.test(x));
    expect(registryPaths.sort()).toEqual(REGISTRY_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('every documented path and method is answered (not 404 "no route"); other methods are 405', async () => {
    const doc = openApiDocument({ registry: true }) as unknown as Doc;
    for (const [template, ops] of Object.entries(doc.paths)) {
      const path = template.replace(/\{(\w+)\}/g, (_, name: string) => SAMPLE[name] ?? name);
      for (const m of METHODS) {
        const { status, code } = await probe(m.toUpperCase(), path);
        const label = `${m.toUpperCase()} ${template} → ${status} ${code}`;
        if (m in ops) {
          expect(code, label).not.toBe('not_found');
          expect(status, label).not.toBe(405);
        } else expect(status, label).toBe(405);
      }
    }
    // And a path the document does not have is 404.
    expect((await probe('GET', '/api/registry/nope')).code).toBe('not_found');
    expect((await probe('GET', `${REGISTRY_PATHS.metadata('@acme/support')}/nope`)).code).toBe('not_found');
  });
});
