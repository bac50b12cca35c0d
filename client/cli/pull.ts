import { stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { removeOwnTempFilesSync } from '../sdk/files';
import { pull } from '../sdk/pull';
import type { PullOptions } from '../sdk/pull';
import { resolveContext } from './context';
import { EXIT, guarded, line } from './io';
import type { CliIO } from './io';
import { bytesText } from './registry';

interface PulledSet {
  name: string;
  version: string;
  integrity: string;
  source: 'cache' | 'vendor' | 'registry';
  bytes: number;
}

const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );

/**
 * `anvil pull`: client/sdk/pull.ts with a progress bar on a terminal (plain lines otherwise, nothing but the
 * summary with --json). A project that vendors (`anvil_prompts/` exists) keeps its vendored copies in step.
 * Ctrl-C stops the downloads and exits 130 with one line, the lock file and the vendored folder as they were;
 * a second Ctrl-C exits at once (removing this process's temp files).
 */
export function registerPull(program: Command, io: CliIO): void {
  program
    .command('pull')
    .description('Resolve anvil.json, download and verify the sets, write anvil-lock.json')
    .option('--frozen', 'fail if the lock file would change (CI, like npm ci)', false)
    .option('--vendor', 'also write the locked bundles to anvil_prompts/ (commit it: the app boots offline)', false)
    .option('--registry <url>', 'the registry (else ANVIL_REGISTRY, anvil.json, anvil login)')
    .option('--token <token>', 'an access token (else ANVIL_TOKEN, anvil login)')
    .option('--json', 'print a summary as JSON', false)
    .action((o: { frozen: boolean; vendor: boolean; registry?: string; token?: string; json: boolean }) =>
      guarded(io, 'pull', o.json, async () => {
        const ctx = await resolveContext(io, o);
        const vendor = o.vendor || (await exists(ctx.vendorDir));
        const sets: PulledSet[] = [];
        const tty = !o.json && io.stdout.isTTY === true;
        let bar: SingleBar | null = null;
        const onProgress: PullOptions['onProgress'] = (p) => {
          sets.push({
            name: p.name,
            version: p.version,
            integrity: '',
            source: p.source,
            bytes: p.bytes,
          });
          if (o.json) return;
          if (tty) {
            if (!bar) {
              bar = new SingleBar({
                stream: io.stdout,
                format: 'pulling [{bar}] {value}/{total} sets | {set}',
                hideCursor: true,
                clearOnComplete: true,
              });
              bar.start(p.total, 0, { set: '' });
            }
            bar.update(p.done, { set: `${p.name}@${p.version} (${p.source})` });
          } else line(io.stdout, `${p.name}@${p.version} from ${p.source} (${bytesText(p.bytes)})`);
        };
        const interrupt = new AbortController();
        const unsubscribe = io.onInterrupt?.(() => {
          if (!interrupt.signal.aborted) return interrupt.abort(new Error('Ctrl-C'));
          (bar as SingleBar | null)?.stop();
          removeOwnTempFilesSync([ctx.cacheDir, ctx.vendorDir], [ctx.lockfilePath]);
          line(io.stderr, 'anvil pull: interrupted twice; stopped at once');
          process.exit(EXIT.interrupted);
        });
        let result;
        try {
          result = await pull({
            manifest: ctx.manifestPath,
            lockfile: ctx.lockfilePath,
            registry: ctx.registry,
            token: ctx.token,
            cacheDir: ctx.cacheDir,
            vendorDir: vendor ? ctx.vendorDir : null,
            frozen: o.frozen,
            onProgress,
            signal: interrupt.signal,
          });
        } finally {
          unsubscribe?.();
          (bar as SingleBar | null)?.stop();
        }
        // Progress arrives in download order (several at once); the summary is in name order, like the lock.
        sets.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const s of sets) s.integrity = result.lockfile.sets[s.name]?.integrity ?? '';
        const lockName = relative(io.cwd, ctx.lockfilePath);
        if (o.json) {
          line(
            io.stdout,
            JSON.stringify({
              lockfile: ctx.lockfilePath,
              changed: result.changed,
              downloaded: result.downloaded,
              vendor: vendor ? ctx.vendorDir : null,
              sets,
              deprecated: result.deprecated,
            }),
          );
          return;
        }
        for (const d of result.deprecated)
          line(io.stderr, `warning: ${d.name}@${d.version} is deprecated: ${d.message}`);
        const count = `${sets.length} set${sets.length === 1 ? '' : 's'}`;
        line(
          io.stdout,
          `${result.changed ? 'wrote' : 'kept'} ${lockName} (${count}); downloaded ${bytesText(result.downloaded)}` +
            (vendor ? `; vendored in ${relative(io.cwd, ctx.vendorDir)}` : ''),
        );
      }),
    );
}
