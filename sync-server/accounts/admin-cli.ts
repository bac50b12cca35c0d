/**
 * The accounts admin entry: `anvil user …` and `anvil token …` (client/cli) parse the command line and run
 * this file with one JSON request, because client/ may not import sync-server/. It works on the accounts
 * database in the server's data folder directly, so it works whether or not the server is running (SQLite's
 * WAL and busy timeout let both write; the server reads roles and tokens from the database on each check).
 *
 * Exit codes: 0 done, 2 bad input (one line on stderr), 1 anything else (a damaged store…).
 * A created token is printed alone on stdout (so `T=$(anvil token create …)` works); every note on stderr.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { AnvilError, Role } from '../../shared/domain';
import type { AccountStore } from './store';
import { ACCOUNTS_FILE } from './schema';
import { openAccountStore } from './store';

export { ACCOUNTS_FILE };

const Data = z.string().min(1);
export const AdminRequest = z.discriminatedUnion('command', [
  z.object({ command: z.literal('user.add'), data: Data, name: z.string(), serverAdmin: z.boolean().default(false) }),
  z.object({ command: z.literal('user.list'), data: Data, json: z.boolean().default(false) }),
  z.object({ command: z.literal('user.remove'), data: Data, name: z.string() }),
  z.object({
    command: z.literal('user.role'),
    data: Data,
    name: z.string(),
    projectId: z.string(),
    role: z.union([Role, z.literal('none')]),
  }),
  z.object({
    command: z.literal('token.create'),
    data: Data,
    name: z.string(),
    expiresAt: z.number().nullable().default(null),
  }),
  z.object({ command: z.literal('token.revoke'), data: Data, tokenId: z.string() }),
  z.object({ command: z.literal('token.list'), data: Data, name: z.string() }),
  z.object({
    command: z.literal('audit.query'),
    data: Data,
    entityId: z.string().optional(),
    actor: z.string().optional(),
    action: z.string().optional(),
    since: z.number().optional(),
    until: z.number().optional(),
    limit: z.number().int().min(1).max(1000).default(50),
    json: z.boolean().default(false),
  }),
]);
export type AdminRequest = z.infer<typeof AdminRequest>;

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

const BAD_INPUT = 2;
const FAILED = 1;

/** Runs one request; resolves to the exit code. */
export function runAdmin(raw: unknown, io: Io): number {
  const parsed = AdminRequest.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    io.err(`anvil: bad request to the accounts admin (${issue?.path.join('.') || 'request'}: ${issue?.message}).`);
    return BAD_INPUT;
  }
  const req = parsed.data;
  const dir = resolve(req.data);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    io.err(`anvil: the data folder ${dir} does not exist (pass the server's --data folder).`);
    return BAD_INPUT;
  }
  const file = join(dir, ACCOUNTS_FILE);
  if (
    !existsSync(file) &&
    (req.command === 'user.list' || req.command === 'token.list' || req.command === 'audit.query')
  ) {
    io.err(`anvil: ${dir} has no accounts yet (start the server there once, or add a user).`);
    return BAD_INPUT;
  }
  let store: AccountStore | undefined;
  try {
    store = openAccountStore(file);
    execute(store, req, io, actor());
    return 0;
  } catch (err) {
    if (err instanceof AnvilError) {
      io.err(`anvil: ${err.message}`);
      return err.code.startsWith('store_') ? FAILED : BAD_INPUT;
    }
    io.err(`anvil: ${(err as Error).message}`);
    return FAILED;
  } finally {
    store?.close();
  }
}

function execute(store: AccountStore, req: AdminRequest, io: Io, by: string): void {
  const opts = { actor: by };
  switch (req.command) {
    case 'user.add': {
      const u = store.addUser(req.name, { serverAdmin: req.serverAdmin, actor: by });
      io.out(
        `Added ${u.name}${u.serverAdmin ? ' (server admin)' : ''}. Give a role: anvil user role ${u.name} <projectId> <role>`,
      );
      return;
    }
    case 'user.list': {
      const users = store.listUsers();
      if (req.json) return io.out(JSON.stringify(users));
      if (users.length === 0) return io.out('No users.');
      for (const u of users) {
        const roles = u.roles.map((r) => `${r.projectId}:${r.role}`).join(' ') || 'no projects';
        io.out(`${u.name}${u.serverAdmin ? ' [server admin]' : ''}  ${roles}  tokens: ${u.activeTokens}`);
      }
      return;
    }
    case 'user.remove':
      store.removeUser(req.name, opts);
      return io.out(`Removed ${req.name}, with its roles and tokens.`);
    case 'user.role': {
      const role = req.role === 'none' ? null : req.role;
      store.setRole(req.name, req.projectId, role, opts);
      return io.out(
        role === null
          ? `${req.name} has no role on ${req.projectId} now.`
          : `${req.name} is ${role} on ${req.projectId}.`,
      );
    }
    case 'token.create': {
      const t = store.createToken(req.name, { expiresAt: req.expiresAt, actor: by });
      const until = t.expiresAt === null ? 'never expires' : `expires ${new Date(t.expiresAt).toISOString()}`;
      io.err(`Token ${t.tokenId} for ${t.name} (${until}). It is shown once, only its hash is kept:`);
      io.out(t.token);
      return;
    }
    case 'token.revoke':
      store.revokeToken(req.tokenId, opts);
      return io.out(`Revoked ${req.tokenId}; it is refused from the next connection on.`);
    case 'token.list': {
      const now = Date.now();
      for (const t of store.listTokens(req.name)) {
        const state =
          t.revokedAt !== null
            ? 'revoked'
            : t.expiresAt !== null && t.expiresAt <= now
              ? 'expired'
              : t.expiresAt === null
                ? 'active'
                : `active until ${new Date(t.expiresAt).toISOString()}`;
        const used = t.lastUsedAt === null ? 'never used' : `last used ${new Date(t.lastUsedAt).toISOString()}`;
        io.out(`${t.id}  ${state}  ${used}`);
      }
      return;
    }
    case 'audit.query': {
      const { command: _c, data: _d, json, ...query } = req;
      // A person types a user's name; account rows are filed under the account's id.
      if (query.entityId !== undefined) query.entityId = store.getUser(query.entityId)?.id ?? query.entityId;
      const rows = store.audit.query(query);
      if (json) return io.out(JSON.stringify(rows));
      for (const r of rows)
        io.out(
          `${new Date(r.at).toISOString()}  ${r.actor}  ${r.action}  ${r.entityKind}:${r.entityId}  ${JSON.stringify(r.details)}`,
        );
      return;
    }
  }
}

/** Who the audit log names for a change made here: the operating-system user at the server's console. */
function actor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  let request: unknown;
  try {
    request = JSON.parse(process.argv[2] ?? '');
  } catch {
    console.error('anvil: the accounts admin takes one JSON request as its argument.');
    process.exit(BAD_INPUT);
  }
  process.exitCode = runAdmin(request, {
    out: (line) => console.log(line),
    err: (line) => console.error(line),
  });
}
