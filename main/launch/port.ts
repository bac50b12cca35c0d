import type { LaunchArgs } from './args';
import { LaunchError, errorCode } from './launch-error';

/**
 * Which ports the browser mode tries, in order. A port the person typed is the only one (if it is taken, that
 * is an error: they may have bookmarked it). Otherwise the default (`DEFAULT_PORT`), and any free port (0) if that is taken,
 * so a second studio on another data folder still starts.
 */
export function portCandidates(args: Pick<LaunchArgs, 'port' | 'portGiven'>): number[] {
  return args.portGiven || args.port === 0 ? [args.port] : [args.port, 0];
}

/** Listen on the first candidate that is free; `onTaken` hears each one skipped. */
export async function listenOnFirstFree<T>(
  candidates: readonly number[],
  listen: (port: number) => Promise<T>,
  onTaken: (port: number) => void = () => undefined,
): Promise<T> {
  for (const [i, port] of candidates.entries()) {
    try {
      return await listen(port);
    } catch (err) {
      if (errorCode(err) === 'EADDRINUSE' && i < candidates.length - 1) {
        onTaken(port);
        continue;
      }
      throw portError(port, err);
    }
  }
  throw new LaunchError('No port to listen on.');
}

/** A clear message for the errors a person can fix by choosing another port; anything else as it is. */
export function portError(port: number, err: unknown): unknown {
  switch (errorCode(err)) {
    case 'EADDRINUSE':
      return new LaunchError(
        `Port ${port} on 127.0.0.1 is taken (another studio or another program). ` +
          'Choose another with --port N, or --port 0 for any free port.',
      );
    case 'EACCES':
      return new LaunchError(`Port ${port} needs privileges this user does not have. Choose one above 1023.`);
    default:
      return err;
  }
}
