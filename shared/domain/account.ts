import { z } from 'zod';
import { Id } from './names';

export const Role = z.enum(['admin', 'context_engineer', 'viewer']);
export type Role = z.infer<typeof Role>;

export const Account = z
  .object({
    id: Id,
    login: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[a-z0-9][a-z0-9._-]*$/, 'logins are lowercase a-z, 0-9, ".", "_", "-"'),
    displayName: z.string().max(128).default(''),
    role: Role,
  })
  .strict();
export type Account = z.infer<typeof Account>;

/** What each role may do; the server enforces it, the studio only uses it to hide what would be refused. */
export const ROLE_PERMISSIONS = {
  admin: ['read', 'edit', 'publish', 'approve', 'manage'],
  context_engineer: ['read', 'edit', 'publish'],
  viewer: ['read'],
} as const satisfies Record<Role, readonly string[]>;
export type Permission = (typeof ROLE_PERMISSIONS)[Role][number];

export function can(role: Role, permission: Permission): boolean {
  return (ROLE_PERMISSIONS[role] as readonly string[]).includes(permission);
}
