import { AnvilError } from '../../shared/domain';

/** Account errors a person can act on. None of them ever carries a token: only names and ids. */
export function accountError(code: string, message: string, path?: string): AnvilError {
  return new AnvilError(path === undefined ? { code, message } : { code, message, path });
}

export const unknownUser = (ref: string) =>
  accountError('unknown_user', `There is no user "${ref}" (anvil user list shows them).`, ref);

export const unknownToken = (id: string) => accountError('unknown_token', `There is no token with the id "${id}".`, id);
