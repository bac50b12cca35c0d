import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import type { SearchResult } from '../../shared/registry/api';
import { REGISTRY_PATHS } from '../../shared/registry/api';
import { requireRegistry, resolveContext } from './context';
import { getJson } from './http';
import { guarded, line } from './io';
import type { CliIO } from './io';

/** `anvil search TEXT`: the registry's search (package names, prompt names and descriptions). */
export function registerSearch(program: Command, io: CliIO): void {
  program
    .command('search')
    .description('Search the registry for prompt sets by name, prompt or description')
    .argument('<text>', 'words to look for')
    .option('--project <name>', 'only sets of this project')
    .option(
      '--limit <n>',
      'at most n results, 1 to 100 (default 20)',
      (t: string) => {
        if (!/^\d+$/.test(t) || Number(t) < 1 || Number(t) > 100)
          throw new InvalidArgumentError('a limit is a whole number from 1 to 100.');
        return t;
      },
      '20',
    )
    .option('--registry <url>', 'the registry (else ANVIL_REGISTRY, anvil.json, anvil login)')
    .option('--token <token>', 'an access token (else ANVIL_TOKEN, anvil login)')
    .option('--json', 'print the results as JSON', false)
    .action((text: string, o: { project?: string; limit: string; registry?: string; token?: string; json: boolean }) =>
      guarded(io, 'search', o.json, async () => {
        const ctx = await resolveContext(io, o);
        const base = requireRegistry(ctx);
        const q = new URLSearchParams({ q: text, limit: o.limit });
        if (o.project) q.set('project', o.project);
        const { results } = await getJson<{ results: SearchResult[] }>(
          base,
          `${REGISTRY_PATHS.search}?${q}`,
          ctx.token,
          'search the registry',
        );
        if (o.json) {
          line(io.stdout, JSON.stringify({ results }));
          return;
        }
        if (results.length === 0) line(io.stdout, `nothing found for "${text}"`);
        for (const r of results) {
          line(io.stdout, `${r.name}@${r.version}${r.description ? `  ${r.description}` : ''}`);
          if (r.prompts.length > 0) line(io.stdout, `  prompts: ${r.prompts.join(', ')}`);
          if (r.deprecated !== null) line(io.stdout, `  DEPRECATED: ${r.deprecated}`);
        }
      }),
    );
}
