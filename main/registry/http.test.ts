import { describe, expect, it } from 'vitest';
import { AnvilError } from '../../shared/domain';
import { createRegistryHttp } from './http';

const urls = { http: 'http://registry.test', ws: 'ws://registry.test' };

function client(answer: (url: string, init: RequestInit) => Response | Promise<Response>) {
  const calls: { url: string; method: string; body: unknown; auth: string | null }[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    const headers = new Headers(init?.headers);
    calls.push({
      url,
      method: init?.method ?? 'GET',
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      auth: headers.get('authorization'),
    });
    return answer(url, init ?? {});
  }) as typeof globalThis.fetch;
  return { http: createRegistryHttp({ urls, token: 'tok', fetch }), calls };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

async function failure(p: Promise<unknown>): Promise<AnvilError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AnvilError) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

describe('createRegistryHttp', () => {
  it('publishes with the bearer token and the request body, answering the server result', async () => {
    const { http, calls } = client(() =>
      json(201, {
        status: 'published',
        name: '@acme/support',
        version: '1.0.0',
        integrity: 'sha512-x',
        latest: true,
        eventId: 1,
      }),
    );
    const r = await http.publish({ projectId: 'p', setId: 's', version: '1.0.0' });
    expect(r).toMatchObject({ status: 'published', latest: true });
    expect(calls).toEqual([
      {
        url: 'http://registry.test/api/registry/publish',
        method: 'POST',
        body: { projectId: 'p', setId: 's', version: '1.0.0' },
        auth: 'Bearer tok',
      },
    ]);
  });

  it('a refusal keeps every problem (prompt, line, column) in details', async () => {
    const problems = [
      { code: 'template_error', message: 'unknown tag "foo"', prompt: 'greeting', line: 2, column: 4 },
      { code: 'wrong_bump', message: 'a breaking change needs 2.0.0' },
    ];
    const { http } = client(() =>
      json(422, { error: { code: 'publish_refused', message: 'Publishing was refused.', details: { problems } } }),
    );
    const err = await failure(http.publish({ projectId: 'p', setId: 's', version: '1.1.0' }));
    expect(err.code).toBe('publish_refused');
    expect(err.details).toEqual({ problems });
  });

  it("keeps the server's codes (locked, published, forbidden) and names the connection failures", async () => {
    const locked = client(() => json(403, { error: { code: 'project_locked', message: 'acme is locked.' } })).http;
    expect(await failure(locked.publish({ projectId: 'p', setId: 's', version: '1.0.0' }))).toMatchObject({
      code: 'project_locked',
      message: 'acme is locked.',
    });
    const refused = client(() => json(401, { error: { code: 'unauthorized', message: 'no' } })).http;
    expect((await failure(refused.reviews({}))).code).toBe('sync_unauthorized');
    const old = client(() => new Response('Not Found', { status: 404 })).http;
    const err = await failure(old.reviews({ mine: true }));
    expect(err.code).toBe('registry_unavailable');
    expect(err.message).toContain('/api/reviews');
    const down = client(() => Promise.reject(new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }))).http;
    expect(await failure(down.review('r1'))).toMatchObject({
      code: 'sync_unreachable',
      message: expect.stringContaining('ECONNREFUSED') as unknown,
    });
  });

  it('metadata of an unknown package is null; query strings are built from what is given', async () => {
    const { http, calls } = client((url) =>
      url.includes('/packages/')
        ? json(404, { error: { code: 'unknown_package', message: 'no such package' } })
        : json(200, { reviews: [], packages: [] }),
    );
    expect(await http.metadata('@acme/support')).toBeNull();
    await http.reviews({ state: 'open', mine: true });
    await http.published('p 1', 's1');
    expect(calls.map((c) => c.url)).toEqual([
      'http://registry.test/api/registry/packages/@acme/support',
      'http://registry.test/api/reviews?state=open&mine=1',
      'http://registry.test/api/projects/p%201/published?setId=s1',
    ]);
  });

  it('dist-tags and deprecation use the documented routes', async () => {
    const { http, calls } = client((_url, init) =>
      init.method === 'POST'
        ? json(200, { version: '1.0.0', deprecated: 'old' })
        : json(200, { distTags: { latest: '1.0.0' } }),
    );
    expect(await http.setDistTag('@acme/support', 'beta', '1.1.0-beta.1')).toEqual({ latest: '1.0.0' });
    await http.removeDistTag('@acme/support', 'beta');
    await http.deprecate('@acme/support', '1.0.0', 'old');
    expect(
      calls.map((c) => `${c.method} ${c.url.replace('http://registry.test', '')} ${JSON.stringify(c.body ?? null)}`),
    ).toEqual([
      'PUT /api/registry/packages/@acme/support/dist-tags/beta {"version":"1.1.0-beta.1"}',
      'DELETE /api/registry/packages/@acme/support/dist-tags/beta null',
      'POST /api/registry/packages/@acme/support/deprecate {"version":"1.0.0","message":"old"}',
    ]);
  });
});

describe('decide', () => {
  it('splits the decided review from what an approval published', async () => {
    const review = { id: 'r1', state: 'approved' };
    const published = { status: 'published', version: '1.1.0' };
    const approved = client(() => json(200, { ...review, published }));
    expect(await approved.http.decide('r1', { decision: 'approve' })).toEqual({ review, published });
    expect(approved.calls[0]?.body).toEqual({ decision: 'approve' });
    const rejected = client(() => json(200, { ...review, state: 'rejected', published: null }));
    expect(await rejected.http.decide('r1', { decision: 'reject' })).toEqual({
      review: { ...review, state: 'rejected' },
      published: null,
    });
  });
});
