// What the `@anvil/client` package may contain; client/tsup.config.ts enforces it at build time and
// client/pack.test.ts checks the built bundles against it.

/** Folders of this repo the package's bundles may inline: the client's own code and `shared/`. */
export const INLINED_FOLDERS = ['client', 'shared'] as const;

/**
 * Packages a consumer must never get through `@anvil/client` (the product's heavy or native ones): a build that
 * would import one fails, even when it is listed in the dependencies by mistake.
 */
export const FORBIDDEN_PACKAGES: readonly string[] = [
  'electron',
  'react',
  'react-dom',
  '@hocuspocus/server',
  '@hocuspocus/provider',
  'better-sqlite3',
  'ws',
  'yjs',
  'y-protocols',
  'lib0',
  'fastify',
  '@fastify/static',
  '@fastify/websocket',
];

/** `@scope/name/sub/path` → `@scope/name`; `name/sub` → `name`. */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}
