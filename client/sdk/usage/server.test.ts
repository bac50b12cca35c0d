// Usage events end to end against the real server (`anvil serve`, sync-server/usage): the SDK records renders
// and an outcome, sends them with its token, and the server's own queries count them.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serializeManifest } from '../../../shared/registry/manifest';
import type { UsageBreakdown } from '../../../shared/usage/types';
import { USAGE_PATHS } from '../../../shared/usage/types';
import { createAnvil } from '../anvil';
import { pull } from '../pull';
import type { TestRegistry } from '../testing';
import { commonSet, startRegistry, supportSet } from '../testing';

const dirs: string[] = [];
const temp = (label: string): string => {
  const d = mkdtempSync(join(tmpdir(), `anvil-usage-server-${label}-`));
  dirs.push(d);
  return d;
};

let server: TestRegistry;
beforeAll(async () => {
  server = await startRegistry(temp('data'));
  await server.publish(commonSet('c1'), '1.0.0');
  await server.publish(supportSet('s1'), '1.0.0');
}, 30_000);
afterAll(async () => {
  await server?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('usage against the real server', () => {
  it('renders and an outcome are ingested and counted per prompt', async () => {
    const dir = temp('app');
    const files = {
      manifest: join(dir, 'anvil.json'),
      lockfile: join(dir, 'anvil-lock.json'),
      cacheDir: join(dir, 'cache'),
    };
    writeFileSync(files.manifest, serializeManifest({ dependencies: { '@acme/support': '^1.0.0' } }));
    await pull({ ...files, registry: server.url, token: server.token });
    const from = Date.now() - 1;
    const anvil = createAnvil({ ...files, mode: 'locked', registry: server.url, token: server.token });
    for (let i = 0; i < 30; i++) await anvil.getOrThrow('@acme/support/greet', { customer: `c${i}` });
    const triage = await anvil.getOrThrow('@acme/support/triage', { ticket: 'Late' }, { history: [] });
    await anvil.get('@acme/support/greet', {});
    anvil.outcome(triage, { outputTokens: 40, modelLatencyMs: 900, metrics: { resolved: 1 } });
    await anvil.close();
    expect(anvil.usageStats()).toMatchObject({ recorded: 33, sent: 33, rejected: 0, dropped: 0, pending: 0 });

    const q = new URLSearchParams({ from: String(from), to: String(Date.now() + 1), by: 'prompt', project: 'acme' });
    const res = await fetch(`${server.url}${USAGE_PATHS.breakdown}?${q}`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    expect(res.status).toBe(200);
    const groups = new Map(((await res.json()) as UsageBreakdown).groups.map((g) => [g.key, g]));
    expect(groups.get('greet')).toMatchObject({ renders: 31, errors: 1, outcomes: 0 });
    const t = groups.get('triage');
    expect(t).toMatchObject({ renders: 1, errors: 0, outcomes: 1, outputTokens: 40 });
    expect(t?.inputTokens).toBeGreaterThan(0);
    expect(t?.costUsd).toBeGreaterThan(0);
    expect(t?.metrics.resolved).toMatchObject({ sum: 1, count: 1 });
  }, 30_000);
});
