import { AnvilError } from '../../shared/domain';

export interface ServeArgs {
  port: number;
  host: string;
  dataDir: string;
}

const USAGE = 'usage: main.ts --port P --data DIR [--host 127.0.0.1]';

/** Parses `--port P --data DIR [--host H]`; anything else is a clear `invalid_arguments` error. */
export function parseServeArgs(argv: readonly string[]): ServeArgs {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i] as string;
    const value = argv[i + 1];
    if (!['--port', '--data', '--host'].includes(flag)) throw invalid(`unknown option ${flag}`);
    if (value === undefined || value.startsWith('--')) throw invalid(`${flag} needs a value`);
    values.set(flag, value);
  }
  const dataDir = values.get('--data');
  if (!dataDir) throw invalid('--data DIR is required');
  const portText = values.get('--port') ?? '0';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) throw invalid(`--port must be 0 to 65535, not "${portText}"`);
  return { port, host: values.get('--host') ?? '127.0.0.1', dataDir };
}

function invalid(problem: string): AnvilError {
  return new AnvilError({ code: 'invalid_arguments', message: `${problem}. ${USAGE}` });
}
