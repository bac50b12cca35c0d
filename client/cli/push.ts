import type { PublishRefusedDetails, PublishRequest, PublishResult } from '../../shared/registry/api';
import { REGISTRY_PATHS } from '../../shared/registry/api';
import type { PublishProblem } from '../../shared/registry/types';
import type { ApiErrorBody } from '../../shared/sync/api';

export interface PushOptions {
  /** The sync server, `http(s)://…` or the `ws(s)://…` the studio uses (the same base). */
  server: string;
  token: string;
  projectId: string;
  setId: string;
  version: string;
}

/** Where `push` writes; the CLI passes the process's streams, tests their own. */
export interface PushOutput {
  out: (line: string) => void;
  err: (line: string) => void;
}

/**
 * `anvil push`: asks the server to publish a team version it accepted (the server builds the bundle, so the
 * studio and the command line publish the same bytes). Exit 0 when published or a review was opened, 2 when
 * refused (each problem of a 422 on its own line), 1 when the server could not be reached or failed.
 */
export async function push(options: PushOptions, output: PushOutput): Promise<number> {
  const base = options.server.replace(/^ws(s?):\/\//, 'http$1://').replace(/\/+$/, '');
  const request: PublishRequest = { projectId: options.projectId, setId: options.setId, version: options.version };
  let res: Response;
  try {
    res = await fetch(`${base}${REGISTRY_PATHS.publish}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(request),
    });
  } catch (err) {
    output.err(`anvil push: could not reach ${base} (${(err as Error).message}).`);
    return 1;
  }
  return reportPublish(res.status, await res.text(), output);
}

/**
 * A publish answer as lines: `published …` and its integrity, or `review opened: …` (0); a refusal's message
 * then each problem on its own line (2); a server failure or an answer that is not JSON (1).
 */
export function reportPublish(status: number, text: string, output: PushOutput): number {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    output.err(`anvil push: the server answered ${status} with something that is not JSON.`);
    return 1;
  }
  const res = { status };
  if (res.status === 201 || res.status === 202) {
    const result = body as PublishResult;
    if (result.status === 'review') output.out(`review opened: ${result.review.id}`);
    else {
      output.out(`published ${result.name}@${result.version}${result.latest ? ' (latest)' : ''}`);
      output.out(`integrity ${result.integrity}`);
    }
    return 0;
  }
  const error = (body as Partial<ApiErrorBody>).error;
  if (!error || typeof error.message !== 'string') {
    output.err(`anvil push: the server answered ${res.status}.`);
    return 1;
  }
  if (res.status === 422) {
    output.err(`anvil push: ${error.message}`);
    const problems = (error.details as Partial<PublishRefusedDetails> | undefined)?.problems ?? [];
    for (const problem of problems) output.err(problemLine(problem));
    return 2;
  }
  output.err(`anvil push: ${error.message} (${res.status} ${error.code})`);
  return res.status >= 500 ? 1 : 2;
}

/** `wrong_bump: … (prompt greeting, line 3, column 7)`: where, when the problem says. */
function problemLine(p: PublishProblem): string {
  const where = [
    p.prompt === undefined ? null : `prompt ${p.prompt}`,
    p.line === undefined ? null : `line ${p.line}`,
    p.column === undefined ? null : `column ${p.column}`,
  ].filter((w) => w !== null);
  return `  ${p.code}: ${p.message}${where.length > 0 ? ` (${where.join(', ')})` : ''}`;
}
