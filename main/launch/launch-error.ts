/**
 * A problem the person starting the studio can fix (a taken port, a data folder that cannot be written): the
 * launcher prints its message alone, no stack trace, and exits with code 2, as for bad arguments.
 */
export class LaunchError extends Error {
  override readonly name = 'LaunchError';
}

/** The `code` of a Node system error (EADDRINUSE, EACCES…), if it has one. */
export function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  const { code } = err as { code: unknown };
  return typeof code === 'string' ? code : undefined;
}
