import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { API_PATHS } from '../../shared/sync/api';
import type { WhoAmI } from '../../shared/sync/api';
import { requireRegistry, resolveContext, saveLogin } from './context';
import { getJson } from './http';
import { CliFailure, guarded, line } from './io';
import type { CliIO } from './io';

/** The token from stdin: one line asked for on a terminal, else everything piped in (trimmed). */
async function readToken(io: CliIO, registry: string): Promise<string> {
  if (io.stdin.isTTY) {
    io.stderr.write(`Token for ${registry}: `);
    const rl = createInterface({ input: io.stdin, terminal: false });
    try {
      return await new Promise<string>((resolve) => {
        rl.once('line', (l) => resolve(l));
        rl.once('close', () => resolve(''));
      });
    } finally {
      rl.close();
    }
  }
  let text = '';
  for await (const chunk of io.stdin) text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
  return text;
}

/**
 * `anvil login`: checks a token with the registry (GET /api/whoami) and saves it for that registry in the
 * credentials file (mode 0600, written in one rename). The token comes from --token or stdin, never from a
 * prompt that echoes it into a log.
 */
export function registerLogin(program: Command, io: CliIO): void {
  program
    .command('login')
    .description('Check an access token with the registry and save it (credentials file, mode 0600)')
    .option('--registry <url>', 'the registry (else ANVIL_REGISTRY, anvil.json, the last login)')
    .option('--token <token>', 'the token (else read from stdin: `anvil login --registry URL < token.txt`)')
    .option('--json', 'print the result as JSON', false)
    .action((o: { registry?: string; token?: string; json: boolean }) =>
      guarded(io, 'login', o.json, async () => {
        // Only --registry here decides the registry besides the usual places; the token is the one given.
        const ctx = await resolveContext(io, { registry: o.registry, token: 'unused' });
        const registry = requireRegistry(ctx);
        const token = (o.token ?? (await readToken(io, registry))).trim();
        if (!token) throw new CliFailure('no_token', 'no token: pass --token or pipe it on stdin (anvil token create)');
        if (/\s/.test(token))
          throw new CliFailure('invalid_token', 'the token has whitespace in it; give the token alone');
        const who = await getJson<WhoAmI>(registry, API_PATHS.whoami, token, 'check the token');
        const path = await saveLogin(io.env, registry, { token, account: who.name, savedAt: new Date().toISOString() });
        if (o.json) line(io.stdout, JSON.stringify({ registry, account: who.name, credentials: path }));
        else line(io.stdout, `logged in to ${registry} as ${who.name} (saved in ${path})`);
      }),
    );
}
