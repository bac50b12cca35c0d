// One lint config for the whole repo. The import zones below are the layering rules of ARCHITECTURE.md:
// dependencies point towards shared/, shared/ imports nothing of ours and nothing of Node or Electron.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'crypto',
  'http',
  'https',
  'net',
  'url',
  'worker_threads',
  'stream',
];

export default tseslint.config(
  { ignores: ['node_modules/**', '**/dist/**', 'out/**', 'coverage/**', 'docs/api/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  prettier,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'shared/ must run in a browser too: no Node modules.' },
            { group: ['electron', 'better-sqlite3', 'react', 'react-dom'], message: 'shared/ is pure.' },
            {
              group: ['**/main/**', '**/renderer/**', '**/client/**', '**/sync-server/**'],
              message: 'shared/ imports nothing from the other folders.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    // The Vite config runs in Node at build time; it is not part of the page.
    ignores: ['renderer/vite.config.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...nodeBuiltins, 'electron', 'better-sqlite3'],
              message: 'renderer/ never imports Node or Electron.',
            },
            {
              group: ['**/main/**', '**/client/**', '**/sync-server/**'],
              message: 'renderer/ talks to main only through the contract in shared/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['client/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'react', 'react-dom'], message: 'client/ runs in any Node project.' },
            {
              group: ['**/main/**', '**/renderer/**', '**/sync-server/**'],
              message: 'client/ depends on shared/ only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['sync-server/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'react', 'react-dom', '**/main/**', '**/renderer/**', '**/client/**'],
              message: 'sync-server/ depends on shared/ only (and never on Electron or React).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/renderer/**', '**/client/**', '**/sync-server/**'],
              message: 'main/ depends on shared/ only.',
            },
          ],
        },
      ],
    },
  },
);
