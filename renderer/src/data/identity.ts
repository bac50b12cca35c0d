/**
 * The local identity: who this person is, kept in the workspace settings under `identity`. The store records
 * changes under the studio's actor (`app:info`); the sync issue maps this identity to a team account.
 */
export const IDENTITY_KEY = 'identity';

export interface Identity {
  name: string;
  email: string;
}

export function asIdentity(value: unknown): Identity {
  if (typeof value !== 'object' || value === null) return { name: '', email: '' };
  const v = value as Record<string, unknown>;
  return { name: typeof v.name === 'string' ? v.name : '', email: typeof v.email === 'string' ? v.email : '' };
}

/** A problem with the identity as typed, or null. Both fields may be empty (no identity yet). */
export function identityProblem(id: Identity): { field: 'name' | 'email'; message: string } | null {
  if (id.name.trim().length > 128) return { field: 'name', message: 'The name is longer than 128 characters.' };
  const email = id.email.trim();
  if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    return { field: 'email', message: `"${email}" is not an email address (name@example.com).` };
  if (email.length > 254) return { field: 'email', message: 'The email address is longer than 254 characters.' };
  return null;
}
