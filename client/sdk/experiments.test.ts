import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PromptSetContent } from '../../shared/domain/prompt-set';
import type { ExperimentDefinition } from '../../shared/registry/api';
import { parseLockfile, serializeLockfile } from '../../shared/registry/lockfile';
import { serializeManifest } from '../../shared/registry/manifest';
import { USAGE_PATHS } from '../../shared/usage/types';
import { createAnvil } from './anvil';
import type { Anvil } from './anvil';
import type { AnvilSdkError } from './errors';
import { pull } from './pull';
import type { TestRegistry } from './testing';
import { commonSet, startRegistry, supportSet } from './testing';
import { startReceiver, until } from './usage/test-kit';
import type { Receiver } from './usage/test-kit';

// A/B tests in the SDK against the real registry: experiments published with `PUT …/experiments/<id>`, pulled
// into the lock file, assigned and rendered by locked (offline) and live clients.
const dirs: string[] = [];
const temp = (label: string): string => {
  const d = mkdtempSync(join(tmpdir(), `anvil-exp-${label}-`));
  dirs.push(d);
  return d;
};
const opened: Anvil[] = [];
const open = (o: Parameters<typeof createAnvil>[0]): Anvil => {
  const a = createAnvil(o);
  opened.push(a);
  return a;
};

const NAME = '@acme/support';
/** `@acme/support` with a second greeting, `greet-short`, for `{ prompt }` variants. */
function support(marker: string): PromptSetContent {
  const base = supportSet(marker);
  return {
    ...base,
    prompts: [
      ...base.prompts,
      {
        id: 'p-greet-short',
        name: 'greet-short',
        description: '',
        kind: 'text',
        template: `Hi {{ customer }} (${marker})`,
        parameters: [{ name: 'customer', type: { type: 'string' }, required: true, description: '' }],
        model: null,
        metadata: {},
      },
    ],
  };
}
const definition = (weights: [number, number, number] = [1, 1, 2]): ExperimentDefinition => ({
  name: 'Greeting',
  prompt: `${NAME}/greet`,
  status: 'running',
  variants: [
    { key: 'control', weight: weights[0], target: { prompt: 'greet' } },
    { key: 'short', weight: weights[1], target: { prompt: 'greet-short' } },
    { key: 'old', weight: weights[2], target: { version: '1.0.0' } },
  ],
  unit: 'userId',
  metric: { name: 'resolved', kind: 'rate' },
});
const TEXTS = {
  control: 'Hello Ada (s1.1.0)\n-- The Acme team (c1.0.0)',
  short: 'Hi Ada (s1.1.0)',
  old: 'Hello Ada (s1.0.0)\n-- The Acme team (c1.0.0)',
};

let server: TestRegistry;
let receiver: Receiver;
beforeAll(async () => {
  server = await startRegistry(temp('server'));
  receiver = await startReceiver();
  await server.publish(commonSet('c1.0.0'), '1.0.0');
  await server.publish(support('s1.0.0'), '1.0.0');
  await server.publish(support('s1.1.0'), '1.1.0');
  await server.putExperiment(NAME, 'exp-greet', definition());
}, 60_000);
afterAll(async () => {
  for (const a of opened) await a.close();
  await server?.stop();
  await receiver?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function project() {
  const dir = temp('app');
  const paths = {
    manifest: join(dir, 'anvil.json'),
    lockfile: join(dir, 'anvil-lock.json'),
    cacheDir: join(dir, 'cache'),
    vendorDir: join(dir, 'prompts'),
  };
  writeFileSync(paths.manifest, serializeManifest({ dependencies: { [NAME]: '^1.0.0' } }));
  return paths;
}

describe('experiments in locked mode', () => {
  let p: ReturnType<typeof project>;

  it('pull writes the experiment and the version it targets into the lock, deterministically', async () => {
    p = project();
    const first = await pull({ ...p, registry: server.url, token: server.token });
    expect(first.changed).toBe(true);
    const entry = first.lockfile.sets[NAME];
    expect(entry?.version).toBe('1.1.0');
    expect(entry?.experiments).toEqual([
      expect.objectContaining({ id: 'exp-greet', version: 1, status: 'running', salt: 'exp-greet' }),
    ]);
    expect(Object.keys(entry?.variantVersions ?? {})).toEqual(['1.0.0']);
    const text = readFileSync(p.lockfile, 'utf8');
    expect(serializeLockfile(parseLockfile(text))).toBe(text);
    expect(await pull({ ...p, registry: server.url, token: server.token })).toMatchObject({ changed: false });
    expect(await pull({ ...p, registry: server.url, token: server.token, frozen: true })).toMatchObject({
      changed: false,
    });
    // The targeted version was vendored too, so a locked app renders every variant offline.
    expect(readFileSync(join(p.vendorDir, '@acme', 'support', '1.0.0.json')).length).toBeGreaterThan(0);
  }, 30_000);

  it('the same key gets the same variant in two offline clients; each variant renders its target', async () => {
    const a = open({ cacheDir: p.cacheDir, lockfile: p.lockfile, vendorDir: p.vendorDir, mode: 'locked' });
    const b = open({ cacheDir: temp('empty'), lockfile: p.lockfile, vendorDir: p.vendorDir, mode: 'locked' });
    const seen = new Set<string>();
    for (let i = 0; i < 300; i++) {
      const unitKey = `user-${i}`;
      const x = await a.getOrThrow(`${NAME}/greet`, { customer: 'Ada' }, { unitKey });
      const y = await b.getOrThrow(`${NAME}/greet`, { customer: 'Ada' }, { unitKey });
      expect([y.variant, y.version]).toEqual([x.variant, x.version]);
      expect(x.experiment).toBe('exp-greet');
      expect(x.prompt).toBe('greet');
      expect(x.kind === 'text' && x.text).toBe(TEXTS[x.variant as keyof typeof TEXTS]);
      expect(x.version).toBe(x.variant === 'old' ? '1.0.0' : '1.1.0');
      seen.add(x.variant as string);
    }
    expect([...seen].sort()).toEqual(['control', 'old', 'short']);
    // A prompt without an experiment is untouched.
    const triage = await a.getOrThrow(`${NAME}/triage`, { ticket: 't' }, { unitKey: 'user-1' });
    expect([triage.variant, triage.experiment]).toEqual([null, null]);
  });

  it('10,000 keys split near the weights (1:1:2)', async () => {
    const a = open({ cacheDir: p.cacheDir, lockfile: p.lockfile, mode: 'locked' });
    const counts: Record<string, number> = { control: 0, short: 0, old: 0 };
    for (let i = 0; i < 10_000; i++) {
      const r = await a.getOrThrow(`${NAME}/greet`, { customer: 'Ada' }, { unitKey: `k${i}` });
      counts[r.variant as string] = (counts[r.variant as string] ?? 0) + 1;
    }
    // Binomial standard deviations: 43 (25%) and 50 (50%); 5 of them is far beyond chance.
    expect(Math.abs((counts.control as number) - 2500)).toBeLessThan(217);
    expect(Math.abs((counts.short as number) - 2500)).toBeLessThan(217);
    expect(Math.abs((counts.old as number) - 5000)).toBeLessThan(250);
  }, 60_000);

  it('no unit key: the control, and one warning', async () => {
    const a = open({ cacheDir: p.cacheDir, lockfile: p.lockfile, mode: 'locked' });
    const warnings: AnvilSdkError[] = [];
    a.on('warning', (w) => warnings.push(w));
    for (let i = 0; i < 3; i++) {
      const r = await a.getOrThrow(`${NAME}/greet`, { customer: 'Ada' });
      expect([r.variant, r.kind === 'text' && r.text]).toEqual(['control', TEXTS.control]);
    }
    expect(warnings.map((w) => w.code)).toEqual(['no_unit_key']);
    const bad = await a.get(`${NAME}/greet`, { customer: 'Ada' }, { unitKey: 42 as unknown as string });
    expect(!bad.ok && bad.error.code).toBe('invalid_unit_key');
  });

  it('a change upstream: --frozen fails, the locked app keeps the old split until pull; stopped → the winner', async () => {
    const before = readFileSync(p.lockfile, 'utf8');
    await server.putExperiment(NAME, 'exp-greet', definition([1, 1, 0.001]));
    const frozen = (await pull({ ...p, registry: server.url, token: server.token, frozen: true }).catch(
      (e: unknown) => e,
    )) as AnvilSdkError;
    expect(frozen.code).toBe('lock_outdated');
    expect(frozen.message).toMatch(/the experiments of @acme\/support changed in the registry/);
    expect(readFileSync(p.lockfile, 'utf8')).toBe(before);

    // Nothing changes under the locked application: still version 1 of the definition.
    const locked = open({ cacheDir: p.cacheDir, lockfile: p.lockfile, mode: 'locked' });
    const oldCount = async (app: Anvil): Promise<number> => {
      let n = 0;
      for (let i = 0; i < 200; i++)
        if ((await app.getOrThrow(`${NAME}/greet`, { customer: 'Ada' }, { unitKey: `u${i}` })).variant === 'old') n++;
      return n;
    };
    expect(await oldCount(locked)).toBeGreaterThan(50);

    const pulled = await pull({ ...p, registry: server.url, token: server.token });
    expect(pulled.changed).toBe(true);
    expect(pulled.lockfile.sets[NAME]?.experiments?.[0]?.version).toBe(2);
    expect(await oldCount(open({ cacheDir: p.cacheDir, lockfile: p.lockfile, mode: 'locked' }))).toBeLessThan(5);

    await server.stopExperiment(NAME, 'exp-greet', 'old');
    await pull({ ...p, registry: server.url, token: server.token });
    const stopped = open({ cacheDir: p.cacheDir, lockfile: p.lockfile, mode: 'locked' });
    const warnings: AnvilSdkError[] = [];
    stopped.on('warning', (w) => warnings.push(w));
    for (const unitKey of ['u1', 'u2', 'u3', undefined]) {
      const r = await stopped.getOrThrow(`${NAME}/greet`, { customer: 'Ada' }, unitKey ? { unitKey } : {});
      expect([r.variant, r.version, r.kind === 'text' && r.text]).toEqual(['old', '1.0.0', TEXTS.old]);
    }
    expect(warnings).toEqual([]);
  }, 60_000);
});

describe('experiments: older locks, live mode, usage', () => {
  it('a lock without experiments still parses and serialises as before; a bad one is refused', async () => {
    const p = project();
    const { lockfile } = await pull({ ...p, registry: server.url, token: server.token });
    const {
      experiments,
      variantVersions: _v,
      ...plain
    } = lockfile.sets[NAME] as NonNullable<(typeof lockfile.sets)[string]>;
    const older = { ...lockfile, sets: { ...lockfile.sets, [NAME]: plain } };
    const text = serializeLockfile(older);
    expect(text).not.toMatch(/experiments|variantVersions/);
    expect(parseLockfile(text)).toEqual(older);
    const broken = {
      ...older,
      sets: { ...older.sets, [NAME]: { ...plain, experiments: [{ ...experiments?.[0], unit: '' }] } },
    };
    expect(() => parseLockfile(JSON.stringify(broken))).toThrow(/sets\["@acme\/support"\]\.experiments/);
  }, 30_000);

  it('live mode assigns from the followed metadata, as locked mode does', async () => {
    const p = project();
    await server.putExperiment(NAME, 'exp-live', {
      ...definition([1, 1, 1]),
      prompt: `${NAME}/triage`,
      variants: [
        { key: 'control', weight: 1, target: { prompt: 'triage' } },
        { key: 'old', weight: 1, target: { version: '1.0.0' } },
      ],
    });
    const anvil = open({
      registry: server.url,
      token: server.token,
      cacheDir: p.cacheDir,
      manifest: p.manifest,
      mode: 'live',
      feed: 'off',
      usage: false,
    });
    const versions = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const r = await anvil.getOrThrow(`${NAME}/triage`, { ticket: 't' }, { unitKey: `live-${i}` });
      expect(r.experiment).toBe('exp-live');
      expect(r.version).toBe(r.variant === 'old' ? '1.0.0' : '1.1.0');
      versions.add(r.version);
    }
    expect([...versions].sort()).toEqual(['1.0.0', '1.1.0']);
  }, 30_000);

  it('usage events carry the variant and the experiment (render and outcomes)', async () => {
    const p = project();
    await pull({ ...p, registry: server.url, token: server.token });
    const anvil = open({
      cacheDir: p.cacheDir,
      lockfile: p.lockfile,
      mode: 'locked',
      usage: { endpoint: `${receiver.url}${USAGE_PATHS.events}`, flushMs: 10 },
    });
    const r = await anvil.getOrThrow(`${NAME}/greet`, { customer: 'Ada' }, { unitKey: 'user-7' });
    expect(r.experiment).toBe('exp-greet');
    anvil.outcome(r, { metrics: { resolved: 1 } });
    // An outcome by render id alone: the experiment comes from the remembered render.
    anvil.outcome(r.renderId as string, { metrics: { resolved: 0 } });
    await anvil.flush();
    await until('three events', () => receiver.events().length >= 3);
    const events = receiver.events();
    expect(events.find((e) => e.type === 'render')).toMatchObject({
      name: NAME,
      prompt: 'greet',
      version: r.version,
      variant: r.variant,
      experiment: 'exp-greet',
    });
    const outcomes = events.filter((e) => e.type === 'outcome');
    expect(outcomes).toHaveLength(2);
    for (const o of outcomes) expect(o).toMatchObject({ prompt: 'greet', variant: r.variant, experiment: 'exp-greet' });
  }, 30_000);
});
