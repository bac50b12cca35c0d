// The build of the `@anvil/client` package (`npm run build` here, `npm run build:client` at the root):
//   dist/index.js + dist/index.d.ts  the SDK (sdk/index.ts), ESM for Node 20, with the `shared/` code it uses
//                                    inlined and its types bundled into one declaration file;
//   dist/cli.js                      the consumer `anvil` command line (cli/consumer.ts), with a shebang.
// Packages are never bundled: each one the code imports must be listed in client/package.json's dependencies
// (the build stops otherwise), so what a consumer installs is exactly what runs. Code of the product (main/,
// renderer/, sync-server/) and the heavy packages (Electron, React, Hocuspocus, better-sqlite3, ws, yjs) are
// refused outright, so a consumer's install stays a few pure-JS packages.
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import { defineConfig } from 'tsup';
import { FORBIDDEN_PACKAGES, INLINED_FOLDERS, packageOf } from './build-rules';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const manifest = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
};
const dependencies = new Set(Object.keys(manifest.dependencies ?? {}));
const builtins = new Set(builtinModules);

/** Keeps every package external, checks it is a declared dependency, and refuses product code. */
const boundaries: Plugin = {
  name: 'anvil-client-boundaries',
  setup(build) {
    build.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const spec = args.path;
      if (spec.startsWith('.') || spec.startsWith('/')) {
        const target = resolve(args.resolveDir, spec);
        const top = relative(root, target).split(sep)[0] ?? '';
        if (!(INLINED_FOLDERS as readonly string[]).includes(top)) {
          return { errors: [{ text: `${spec} (${relative(root, target)}) is outside client/ and shared/` }] };
        }
        return undefined;
      }
      if (spec.startsWith('node:') || builtins.has(spec)) return { path: spec, external: true };
      const name = packageOf(spec);
      if (FORBIDDEN_PACKAGES.includes(name)) {
        return { errors: [{ text: `${name} must never be part of @anvil/client` }] };
      }
      if (!dependencies.has(name)) {
        return { errors: [{ text: `${name} is imported but not in client/package.json's dependencies` }] };
      }
      return { path: spec, external: true };
    });
  },
};

const common = {
  format: ['esm' as const],
  platform: 'node' as const,
  target: 'node20',
  outDir: 'dist',
  tsconfig: 'tsconfig.json',
  // Node's built-ins keep their `node:` prefix.
  removeNodeProtocol: false,
  // tsup's own rule (package.json's dependencies external, anything else inlined) is switched off for the
  // JavaScript: the plugin below decides every import. (The declaration build keeps tsup's rule.)
  noExternal: [/.*/],
  esbuildPlugins: [boundaries],
  // The build script empties dist/ first (two configs run at once here; neither may clean the other's file).
  clean: false,
  splitting: false,
  sourcemap: false,
  shims: false,
};

export default defineConfig([
  {
    ...common,
    entry: { index: 'sdk/index.ts' },
    dts: {
      // tsup sets `baseUrl` for its declaration build, which TypeScript 6 reports as deprecated.
      compilerOptions: { ignoreDeprecations: '6.0' },
    },
  },
  {
    ...common,
    entry: { cli: 'cli/consumer.ts' },
    dts: false,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
