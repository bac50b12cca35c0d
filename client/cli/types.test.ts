import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commonSet, startRegistry, supportSet } from '../sdk/testing';
import type { TestRegistry } from '../sdk/testing';
import { runConsumer } from './testing-in-process';
import { generateTypes } from './typegen';

const SDK = fileURLToPath(new URL('../sdk/index.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSC = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');

let root = '';
let registry: TestRegistry;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'anvil-types-'));
  registry = await startRegistry(join(root, 'server'));
  await registry.publish(commonSet(), '1.0.0');
  const support = supportSet();
  support.prompts.push({
    id: 'p-rich',
    name: 'rich',
    description: '',
    kind: 'text',
    template: '{{ tone }} {{ count }} {{ tags | join: "," }} {{ who.name }}',
    parameters: [
      { name: 'tone', type: { type: 'string', enum: ['calm', 'warm'] }, required: true, description: 'How it sounds' },
      { name: 'count', type: { type: 'integer' }, required: false, description: '' },
      { name: 'tags', type: { type: 'array', items: { type: 'string' } }, required: true, description: '' },
      {
        name: 'who',
        type: { type: 'object', properties: { name: { type: 'string' }, age: { type: 'number' } }, required: ['name'] },
        required: true,
        default: { name: 'x' },
        description: '',
      },
    ],
    model: null,
    metadata: {},
  });
  await registry.publish(support, '1.0.0');
}, 60_000);

afterAll(async () => {
  await registry?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('generateTypes', () => {
  it('writes each parameter type, optional when not required or defaulted', () => {
    const text = generateTypes(
      [
        {
          address: '@a/s/p',
          parameters: [
            { name: 'tone', type: { type: 'string', enum: ['calm', 'warm'] }, required: true, description: 'How' },
            { name: 'n', type: { type: 'number' }, required: true, default: 1, description: '' },
            {
              name: 'list',
              type: { type: 'array', items: { type: 'integer', enum: [1, 2] } },
              required: false,
              description: '',
            },
          ],
        },
        { address: '@a/s/empty', parameters: [] },
      ],
      '@anvil/client',
      'anvil-lock.json',
    );
    expect(text).toContain("declare module '@anvil/client' {");
    expect(text).toContain('"@a/s/empty": Record<string, never>;');
    expect(text).toContain('      /** How */\n      tone: "calm" | "warm";');
    expect(text).toContain('      n?: number;');
    expect(text).toContain('      list?: Array<1 | 2>;');
  });
});

describe('anvil types', () => {
  it('generates declarations that make tsc check get() parameters by address', async () => {
    const cwd = join(root, 'app');
    mkdirSync(cwd);
    const env = { ANVIL_CONFIG_DIR: join(cwd, '.config'), ANVIL_TOKEN: registry.token, ANVIL_REGISTRY: registry.url };
    expect((await runConsumer(['init'], { cwd, env })).code).toBe(0);
    expect((await runConsumer(['add', '@acme/support'], { cwd, env })).code).toBe(0);
    expect((await runConsumer(['pull'], { cwd, env })).code).toBe(0);
    const made = await runConsumer(['types', '--json'], { cwd, env });
    expect(made.code, made.err).toBe(0);
    expect(JSON.parse(made.out)).toMatchObject({ prompts: 4, sets: 2 });
    const types = readFileSync(join(cwd, 'anvil-types.d.ts'), 'utf8');
    expect(types).toContain('"@acme/support/greet": {');

    writeFileSync(
      join(cwd, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2023',
          module: 'ESNext',
          moduleResolution: 'Bundler',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: ['node'],
          typeRoots: [join(ROOT, 'node_modules', '@types')],
          paths: { '@anvil/client': [SDK] },
        },
        files: ['anvil-types.d.ts', 'good.ts', 'bad.ts', join(ROOT, 'shared', 'web-globals.d.ts')],
      }),
    );
    const header =
      "import { createAnvil } from '@anvil/client';\nconst anvil = createAnvil({ cacheDir: '.anvil/cache', mode: 'locked' });\n";
    writeFileSync(
      join(cwd, 'good.ts'),
      header +
        [
          "void anvil.get('@acme/support/greet', { customer: 'Ada' });",
          "void anvil.getOrThrow('@acme/support@^1.0.0/triage', { ticket: 't' }, { history: [] });",
          "void anvil.get('@acme/support/rich', { tone: 'calm', tags: ['a'], count: 2 });",
          "void anvil.get('@acme/common/signature');",
          "const address: string = '@acme/other/x';",
          'void anvil.get(address, { anything: 1 });',
        ].join('\n') +
        '\n',
    );
    writeFileSync(
      join(cwd, 'bad.ts'),
      header +
        [
          "void anvil.get('@acme/support/greet', { customer: 42 });",
          "void anvil.get('@acme/support/greet');",
          "void anvil.get('@acme/support/rich', { tone: 'loud', tags: [] });",
        ].join('\n') +
        '\n',
    );
    const tsc = spawnSync(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd, encoding: 'utf8' });
    const errors = tsc.stdout.split('\n').filter((l) => /error TS/.test(l));
    expect(
      errors.filter((l) => !l.startsWith('bad.ts')),
      tsc.stdout,
    ).toEqual([]);
    expect(
      errors.map((l) => /^bad\.ts\((\d+),/.exec(l)?.[1]),
      tsc.stdout,
    ).toEqual(['3', '4', '5']);
    expect(tsc.stdout).toContain("Type 'number' is not assignable to type 'string'");
  }, 60_000);
});
