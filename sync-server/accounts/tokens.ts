import { createHash, randomBytes } from 'node:crypto';

/** A token is 32 random bytes in base64url: 43 characters, 256 bits, shown to its owner once. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * What the store keeps instead of the token. A plain SHA-256 is enough (no salt, no slow hash): the input is
 * 256 random bits, not a password, so there is nothing to guess; and it lets a token be found by an index.
 */
export function hashToken(token: string): string {
  return `sha256-${createHash('sha256').update(token, 'utf8').digest('hex')}`;
}

export function looksLikeToken(value: string): boolean {
  return TOKEN_PATTERN.test(value);
}

/** Token ids are public (listed, audited, used to revoke): a prefix keeps them from being taken for tokens. */
export function newTokenId(): string {
  return `tok_${randomBytes(9).toString('base64url')}`;
}
