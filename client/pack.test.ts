// The `@anvil/client` package as a consumer gets it: built (tsup, client/tsup.config.ts), packed with `npm pack`,
// installed from the tarball into a project in a temporary folder outside this repo (so nothing of the repo's
// node_modules is visible), then used for real against a registry server process: pull two sets with a
// dependency between them and render a prompt that renders a partial of the other set; the installed `anvil`
// bin answers `--help`. Also checks what the bundles import: exactly the package's dependencies, never the
// product's code or its heavy packages.
//
// Real processes (tsup, npm, a server): this file gets its own, longer time limit.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestRegistry } from './sdk/testing';
import { commonSet, startRegistry, supportSet } from './sdk/testing';
import { FORBIDDEN_PACKAGES, packageOf } from './build-rules';

/** The whole file's limit: a build (~7 s), a pack, an install (a few seconds from npm's cache), a server. */
const PACK_TEST_TIMEOUT = 120_000;

const CLIENT = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(CLIENT);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** The environment without npm's own variables (a `npm test` run sets them; they would point npm at this repo). */
const cleanEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'INIT_CWD' && k !== 'NODE_OPTIONS'),
  );

function run(cmd: string, args: string[], cwd: string, timeout = 90_000): Promise<Run> {
  const start = performance.now();
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env: cleanEnv(), timeout, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr, ms: Math.round(performance.now() - start) });
    });
  });
}

const ok = (what: string, r: Run): Run => {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}:\n${r.stdout}\n${r.stderr}`);
  return r;
};

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';

const dirs: string[] = [];
const temp = (label: string): string => {
  const d = mkdtempSync(join(tmpdir(), `anvil-pack-${label}-`));
  dirs.push(d);
  return d;
};

/** The specifiers a bundle imports (static and dynamic), and the repo files esbuild inlined (its `// path` marks). */
function bundleFacts(file: string): { imports: string[]; inlined: string[] } {
  const text = readFileSync(file, 'utf8');
  const imports = new Set<string>();
  for (const m of text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']/gm)) imports.add(m[1] ?? '');
  for (const m of text.matchAll(/^\s*import\s*["']([^"']+)["']/gm)) imports.add(m[1] ?? '');
  for (const m of text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) imports.add(m[1] ?? '');
  for (const m of text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) imports.add(m[1] ?? '');
  const inlined = [...new Set([...text.matchAll(/^\/\/ (\S+\.[cm]?[jt]sx?)$/gm)].map((m) => m[1] ?? ''))];
  return { imports: [...imports].sort(), inlined: inlined.sort() };
}

interface Manifest {
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}
const clientManifest = () => JSON.parse(readFileSync(join(CLIENT, 'package.json'), 'utf8')) as Manifest;

let server: TestRegistry;
let consumer: string;
let packed: { filename: string; files: { path: string }[] };
const timings: Record<string, number> = {};

describe('the @anvil/client package, packed and installed', { timeout: PACK_TEST_TIMEOUT }, () => {
  beforeAll(async () => {
    const serving = (async () => {
      server = await startRegistry(temp('server'));
      await server.publish(commonSet('c1.0.0'), '1.0.0');
      await server.publish(supportSet('s1.0.0'), '1.0.0');
    })();
    // The build the package's own script runs (a fresh clone has no dist/: this test never relies on one).
    timings.build = ok('npm run build (client/)', await run(NPM, ['run', 'build'], CLIENT)).ms;
    const packDir = temp('tarball');
    const pack = ok(
      'npm pack',
      await run(NPM, ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], CLIENT),
    );
    timings.pack = pack.ms;
    packed = (JSON.parse(pack.stdout) as (typeof packed)[])[0] as typeof packed;
    consumer = temp('app');
    writeFileSync(
      join(consumer, 'package.json'),
      `${JSON.stringify({ name: 'consumer-app', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`,
    );
    const install = ok(
      'npm install <tarball>',
      await run(
        NPM,
        ['install', join(packDir, packed.filename), '--no-audit', '--no-fund', '--prefer-offline'],
        consumer,
      ),
    );
    timings.install = install.ms;
    await serving;
  }, PACK_TEST_TIMEOUT);

  afterAll(async () => {
    console.log(
      `@anvil/client pack test: build ${timings.build} ms, pack ${timings.pack} ms, ` +
        `consumer npm install ${timings.install} ms`,
    );
    await server?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }, PACK_TEST_TIMEOUT);

  it('packs only the built files, the README and the guide', () => {
    expect(packed.files.map((f) => f.path).sort()).toEqual([
      'GUIDE.md',
      'README.md',
      'dist/cli.js',
      'dist/index.d.ts',
      'dist/index.js',
      'package.json',
    ]);
    const cli = readFileSync(join(CLIENT, 'dist', 'cli.js'), 'utf8');
    expect(cli.startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(clientManifest().bin).toEqual({ anvil: 'dist/cli.js' });
  });

  it('bundles client/ and shared/ code only, and imports exactly its declared dependencies', () => {
    const manifest = clientManifest();
    const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest;
    const packages = new Set<string>();
    for (const file of ['index.js', 'cli.js']) {
      const { imports, inlined } = bundleFacts(join(CLIENT, 'dist', file));
      expect(inlined.length).toBeGreaterThan(3);
      for (const path of inlined) {
        // Paths are relative to client/: its own folders, or ../shared/.
        expect(path, `${file} inlines ${path}`).toMatch(/^(sdk|cli)\/|^\.\.\/shared\//);
      }
      for (const spec of imports) {
        expect(spec, `${file} imports ${spec}`).not.toMatch(/^\.|^\//);
        if (spec.startsWith('node:')) continue;
        packages.add(packageOf(spec));
      }
    }
    for (const name of packages) expect(FORBIDDEN_PACKAGES, `the bundle imports ${name}`).not.toContain(name);
    // Exactly what runs: nothing imported is missing from the dependencies, nothing listed is unused.
    expect(
      [...packages].sort(),
      "the packages dist/ imports (left) must be exactly client/package.json's dependencies",
    ).toEqual(Object.keys(manifest.dependencies).sort());
    // The same ranges as the repo's own package.json, so the tested versions are the installed ones.
    for (const [name, range] of Object.entries(manifest.dependencies)) {
      expect(`${name}@${range}`).toBe(`${name}@${root.dependencies[name]}`);
    }
    const dts = readFileSync(join(CLIENT, 'dist', 'index.d.ts'), 'utf8');
    for (const m of dts.matchAll(/from\s*['"]([^'"]+)['"]/g)) {
      expect(Object.keys(manifest.dependencies), `index.d.ts imports ${m[1]}`).toContain(packageOf(m[1] ?? ''));
    }
  });

  it('installs from the tarball and renders a prompt that renders a partial of another set', async () => {
    writeFileSync(
      join(consumer, 'anvil.json'),
      `${JSON.stringify({ registry: server.url, dependencies: { '@acme/support': '^1.0.0' } }, null, 2)}\n`,
    );
    writeFileSync(
      join(consumer, 'app.mjs'),
      `import { AnvilSdkError, createAnvil, pull } from '@anvil/client';

const files = {
  manifest: 'anvil.json',
  lockfile: 'anvil-lock.json',
  cacheDir: '.anvil/cache',
  vendorDir: 'anvil_prompts',
};
const token = process.env.ANVIL_TOKEN;
const pulled = await pull({ ...files, token });
const anvil = createAnvil({ ...files, token, mode: 'locked' });
const greet = await anvil.getOrThrow('@acme/support/greet', { customer: 'Ada' });
const triage = await anvil.get('@acme/support/triage', { ticket: 'Late order' }, { history: [] });
const missing = await anvil.get('@acme/support/greet', {});
await anvil.close();
console.log(
  JSON.stringify({
    locked: Object.fromEntries(Object.entries(pulled.lockfile.sets).map(([k, v]) => [k, v.version])),
    text: greet.text,
    version: greet.version,
    source: greet.source,
    tokens: (await greet.tokens).tokens,
    chat: triage.ok ? triage.value.messages : triage.error.message,
    missing: missing.ok ? null : { code: missing.error.code, typed: missing.error instanceof AnvilSdkError },
    resolved: {
      client: import.meta.resolve('@anvil/client'),
      liquidjs: import.meta.resolve('liquidjs'),
    },
  }),
);
`,
    );
    const r = ok('node app.mjs', await runWith(['app.mjs'], { ANVIL_TOKEN: server.token }));
    const out = JSON.parse(r.stdout) as {
      locked: Record<string, string>;
      text: string;
      version: string;
      source: string;
      tokens: number;
      chat: unknown;
      missing: { code: string; typed: boolean } | null;
      resolved: { client: string; liquidjs: string };
    };
    expect(out.locked).toEqual({ '@acme/common': '1.0.0', '@acme/support': '1.0.0' });
    expect(out.text).toBe('Hello Ada (s1.0.0)\n-- The Acme team (c1.0.0)');
    expect(out).toMatchObject({ version: '1.0.0', source: 'vendor' });
    expect(out.tokens).toBeGreaterThan(5);
    expect(out.chat).toEqual([
      { role: 'system', content: 'Sort tickets.' },
      { role: 'user', content: 'Late order' },
    ]);
    expect(out.missing).toEqual({ code: 'invalid_parameters', typed: true });
    // The consumer's own node_modules, not this repo's.
    const inConsumer = (url: string) => fileURLToPath(url).startsWith(consumer + sep);
    expect(inConsumer(out.resolved.client), out.resolved.client).toBe(true);
    expect(inConsumer(out.resolved.liquidjs), out.resolved.liquidjs).toBe(true);
    expect(readFileSync(join(consumer, 'anvil-lock.json'), 'utf8')).toContain('"@acme/common"');
    // CommonJS callers too (Node 20.19+ loads the ESM bundle through require).
    const cjs = ok(
      'require(@anvil/client)',
      await runWith(['-e', "const a = require('@anvil/client'); console.log(typeof a.createAnvil, typeof a.pull)"]),
    );
    expect(cjs.stdout.trim()).toBe('function function');
  });

  it("type-checks and runs the guide's example, with `anvil types` checking parameters", async () => {
    // `anvil types` from the installed bin: the locked prompts' parameters as an augmentation of the SDK.
    const types = ok('npx anvil types', await run(NPX, ['--no', '--', 'anvil', 'types', '--json'], consumer));
    expect(JSON.parse(types.stdout)).toMatchObject({ prompts: 3, sets: 2 });
    const generated = readFileSync(join(consumer, 'anvil-types.d.ts'), 'utf8');
    expect(generated).toContain("declare module '@anvil/client'");
    expect(generated).toContain('"@acme/support/greet"');

    // The guide's complete example (client/GUIDE.md, section 6), as written there.
    const guide = readFileSync(join(CLIENT, 'GUIDE.md'), 'utf8');
    const example = /<!-- client\/pack\.test\.ts[^>]*-->\s*```ts\n([\s\S]*?)```/.exec(guide)?.[1];
    expect(example, 'GUIDE.md has the marked example').toBeTruthy();
    mkdirSync(join(consumer, 'src'), { recursive: true });
    writeFileSync(join(consumer, 'src', 'prompts.ts'), example ?? '');
    writeFileSync(
      join(consumer, 'typed.ts'),
      `import { createAnvil } from '@anvil/client';
import type { GetResult, Rendered } from '@anvil/client';

export async function greeting(): Promise<string> {
  const anvil = createAnvil({ cacheDir: '.anvil/cache', lockfile: 'anvil-lock.json', mode: 'locked' });
  const r: GetResult = await anvil.get('@acme/support/greet', { customer: 'Ada' });
  if (!r.ok) return \`\${r.error.code}: \${r.error.message}\`;
  const v: Rendered = r.value;
  const tokens: number = (await v.tokens).tokens;
  return v.kind === 'text' ? \`\${v.text} (\${tokens})\` : v.messages.map((m) => m.content).join('\\n');
}

// The declarations are real types, not \`any\`, and anvil-types.d.ts types the parameters: all refused.
const anvil = createAnvil({ cacheDir: '.anvil/cache', mode: 'live' });
// @ts-expect-error mode is 'locked' or 'live'
createAnvil({ cacheDir: '.anvil/cache', mode: 'sometimes' });
// @ts-expect-error an address is a string
void anvil.get(42);
// @ts-expect-error customer is a string
void anvil.get('@acme/support/greet', { customer: 42 });
// @ts-expect-error customer is required
void anvil.getOrThrow('@acme/support/greet', {});
// An address the lock does not know takes any parameters.
void anvil.get('@acme/other/thing', { anything: 1 });
`,
    );
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          types: ['node'],
          lib: ['ES2023'],
          skipLibCheck: false,
          rootDir: '.',
          outDir: 'build',
        },
        files: ['src/prompts.ts', 'typed.ts', 'anvil-types.d.ts'],
      }),
    );
    // A TypeScript project on Node has Node's types (the SDK's `fetch` option is typed with them).
    const nodeTypes = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Manifest).devDependencies;
    ok(
      'npm install @types/node',
      await run(
        NPM,
        ['install', '-D', `@types/node@${nodeTypes['@types/node']}`, '--no-audit', '--no-fund', '--prefer-offline'],
        consumer,
      ),
    );
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    ok('tsc (consumer)', await runWith([tsc, '-p', 'tsconfig.json']));

    // The compiled example renders for real (from the vendored folder; the registry only if something is missing).
    writeFileSync(
      join(consumer, 'run-guide.mjs'),
      `import { anvil, greeting, triage } from './build/src/prompts.js';
const text = await greeting('Ada');
const chat = await triage('Late order', [{ role: 'user', content: 'hi' }]);
let invalid = null;
try { await triage('', 'not a history'); } catch (e) { invalid = e.message; }
await anvil.close();
console.log(JSON.stringify({ text, chat, invalid }));
`,
    );
    const env = { ANVIL_REGISTRY: server.url, ANVIL_TOKEN: server.token };
    const ran = JSON.parse(ok('node run-guide.mjs', await runWith(['run-guide.mjs'], env)).stdout) as {
      text: string;
      chat: { model: string; messages: unknown[]; version: string; tokens: number | string };
      invalid: string | null;
    };
    expect(ran.text).toBe('Hello Ada (s1.0.0)\n-- The Acme team (c1.0.0)');
    expect(ran.chat).toMatchObject({
      model: 'gpt-4o',
      version: '1.0.0',
      messages: [
        { role: 'system', content: 'Sort tickets.' },
        { role: 'user', content: 'hi' },
        { role: 'user', content: 'Late order' },
      ],
    });
    expect(ran.invalid).toBeTruthy();
  });

  it('runs the installed `anvil` bin: --help exits 0, an unknown command exits 1', async () => {
    const help = ok('npx anvil --help', await run(NPX, ['--no', '--', 'anvil', '--help'], consumer));
    expect(help.stdout).toMatch(/^Usage: anvil /m);
    expect(help.stdout).toMatch(/^\s+init\b/m);
    // The product's commands are the repo's `anvil`, not the client's.
    expect(help.stdout).not.toMatch(/^\s+(studio|serve|user|token|audit)\b/m);
    const unknown = await run(NPX, ['--no', '--', 'anvil', 'no-such-command'], consumer);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no-such-command');
  });
});

/** Node in the consumer's folder with extra environment. */
function runWith(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const start = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: consumer, env: { ...cleanEnv(), ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr, ms: Math.round(performance.now() - start) });
      },
    );
  });
}
