import { describe, expect, it } from 'vitest';
import { AnvilError } from '../../shared/domain';
import { createUsageHttp, usageQuery } from './http';

const urls = { http: 'http://usage.test', ws: 'ws://usage.test' };
const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });

function client(answer: (url: string) => Response) {
  const calls: { url: string; auth: string | null }[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(input), auth: new Headers(init?.headers).get('authorization') });
    return answer(String(input));
  }) as typeof globalThis.fetch;
  return { http: createUsageHttp({ urls, token: 'tok', fetch }), calls };
}

async function failure(p: Promise<unknown>): Promise<AnvilError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AnvilError) return err;
    throw err;
  }
  throw new Error('expected a failure');
}

describe('usageQuery', () => {
  it('writes the filter in a fixed order, leaving out what is not set, then the extra keys', () => {
    expect(usageQuery({ to: 20, from: 10, version: '1.0.0', project: 'acme', name: '' }, { bucket: 'hour' })).toBe(
      'project=acme&version=1.0.0&from=10&to=20&bucket=hour',
    );
    expect(usageQuery({ name: '@acme/support', prompt: 'a b', from: 0, to: 1 }, { by: 'model' })).toBe(
      'name=%40acme%2Fsupport&prompt=a+b&from=0&to=1&by=model',
    );
    expect(usageQuery({ variant: 'short', experiment: 'exp-a', name: '@a/s', from: 0, to: 1 }, { by: 'variant' })).toBe(
      'name=%40a%2Fs&experiment=exp-a&variant=short&from=0&to=1&by=variant',
    );
  });
});

describe('createUsageHttp', () => {
  it('asks the series and the breakdown with the bearer token and answers them', async () => {
    const { http, calls } = client((url) =>
      url.includes('/series') ? json(200, { bucket: 'day', points: [] }) : json(200, { by: 'version', groups: [] }),
    );
    expect(await http.series({ project: 'acme', from: 0, to: 86_400_000 }, 'day')).toEqual({
      bucket: 'day',
      points: [],
    });
    expect(await http.breakdown({ name: '@acme/s', from: 0, to: 1 }, 'version')).toEqual({ by: 'version', groups: [] });
    expect(calls).toEqual([
      { url: 'http://usage.test/api/usage/series?project=acme&from=0&to=86400000&bucket=day', auth: 'Bearer tok' },
      { url: 'http://usage.test/api/usage/breakdown?name=%40acme%2Fs&from=0&to=1&by=version', auth: 'Bearer tok' },
    ]);
  });

  it('names a server without usage analytics, a refused token, and keeps the server codes', async () => {
    const old = client(() => new Response('Not Found', { status: 404 })).http;
    const err = await failure(old.series({ from: 0, to: 1 }, 'hour'));
    expect(err.code).toBe('usage_unavailable');
    expect(err.message).toContain('/api/usage/series');
    expect(err.message).not.toContain('?');
    const refused = client(() => json(401, { error: { code: 'unauthorized', message: 'no' } })).http;
    expect((await failure(refused.series({ from: 0, to: 1 }, 'hour'))).code).toBe('sync_unauthorized');
    const forbidden = client(() => json(403, { error: { code: 'forbidden', message: 'Not your project.' } })).http;
    expect(await failure(forbidden.breakdown({ project: 'x', from: 0, to: 1 }, 'name'))).toMatchObject({
      code: 'forbidden',
      message: 'Not your project.',
    });
  });

  it('refuses an answer that is not a series or a breakdown rather than handing it to the charts', async () => {
    const odd = client(() => json(200, { something: 'else' })).http;
    expect((await failure(odd.series({ from: 0, to: 1 }, 'hour'))).code).toBe('usage_server_error');
    expect((await failure(odd.breakdown({ from: 0, to: 1 }, 'model'))).code).toBe('usage_server_error');
  });
});
