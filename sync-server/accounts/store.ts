import type { Database } from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { Role, nameProblem } from '../../shared/domain';
import type { ServerAudit } from './audit';
import { createServerAudit } from './audit';
import { accountError, unknownToken, unknownUser } from './errors';
import { openAccountsDb } from './open';
import { hashToken, looksLikeToken, newToken, newTokenId } from './tokens';

export type { Role } from '../../shared/domain';

export interface UserInfo {
  id: string;
  name: string;
  serverAdmin: boolean;
  createdAt: number;
  roles: { projectId: string; role: Role }[];
  /** Tokens neither revoked nor expired. */
  activeTokens: number;
}

export interface TokenInfo {
  id: string;
  accountId: string;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

/** Who a valid token belongs to. */
export interface VerifiedToken {
  accountId: string;
  name: string;
  serverAdmin: boolean;
  tokenId: string;
}

/** A token as created: `token` is shown once and is not stored anywhere. */
export interface CreatedToken {
  tokenId: string;
  token: string;
  accountId: string;
  name: string;
  expiresAt: number | null;
}

/** A project the server knows: registered through the API, or known only from role rows (older data). */
export interface ProjectInfo {
  id: string;
  /** The name it was registered with; the id for a project known only from role rows. */
  name: string;
  /** Account id of who registered it (null: known from role rows only). */
  createdBy: string | null;
  createdAt: number | null;
}

/** Who made a change; recorded in the audit log. Defaults to `server`. */
export interface By {
  actor?: string;
}

export interface AccountStore {
  /** First start: creates the `admin` server-admin account and returns its token, once. Later: null. */
  bootstrap(by?: By): CreatedToken | null;
  addUser(name: string, options?: { serverAdmin?: boolean } & By): UserInfo;
  listUsers(): UserInfo[];
  /** The account, by id or by name, or null. */
  getUser(account: string): UserInfo | null;
  /** Removes the account with its roles and tokens. The last server admin cannot be removed. */
  removeUser(account: string, by?: By): void;
  /** Gives a role on a project, or takes it away with null (no role = no access). */
  setRole(account: string, projectId: string, role: Role | null, by?: By): void;
  /** The role given on the project (null: none). */
  roleFor(accountId: string, projectId: string): Role | null;
  /**
   * What the server enforces: the project role, or `admin` for a server admin (who runs the server and may
   * manage every project); null for an unknown account or no role (projects are private by default).
   */
  accessFor(accountId: string, projectId: string): Role | null;
  /** Members of a project with their roles. */
  membersOf(projectId: string): { accountId: string; name: string; role: Role }[];
  /** Every project the server knows (registry rows and projects that exist only as role rows), by id. */
  listProjects(): ProjectInfo[];
  getProject(projectId: string): ProjectInfo | null;
  /** Registered, or given to someone as a role: documents and versions of any other project are refused. */
  projectExists(projectId: string): boolean;
  /** Projects the account can reach, with what `accessFor` says (a server admin: every project, as admin). */
  projectsFor(accountId: string): { id: string; name: string; role: Role }[];
  /**
   * A studio's first push: an unknown id is registered with the account as its `admin` (audited
   * `project.register`, `created: true`). A known id answers the account's access (`role` null: none, the
   * caller refuses); a project known only from role rows gets its registry row then.
   */
  registerProject(
    accountId: string,
    projectId: string,
    name: string,
  ): { project: ProjectInfo; created: boolean; role: Role | null };
  createToken(account: string, options?: { expiresAt?: number | null } & By): CreatedToken;
  revokeToken(tokenId: string, by?: By): void;
  listTokens(account: string): TokenInfo[];
  /** The owner of a valid token; null when unknown, malformed, revoked or expired (never throws for a bad one). */
  verifyToken(token: string, now?: number): VerifiedToken | null;
  readonly audit: ServerAudit;
  close(): void;
}

export interface AccountStoreOptions {
  /** ms since epoch; tests pass a fake one. */
  clock?: () => number;
}

// The UUID shape: names may not take it, so "an account" (id or name) never means two accounts.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
// Last-used times are kept to the minute: one fsync per connection storm would be a cost for no information.
const LAST_USED_RESOLUTION_MS = 60_000;

interface AccountRow {
  id: string;
  name: string;
  server_admin: number;
  created_at: number;
}
interface ProjectRow {
  id: string;
  name: string | null;
  created_by: string | null;
  created_at: number | null;
}
interface TokenRow {
  id: string;
  account_id: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

export function openAccountStore(file: string, options: AccountStoreOptions = {}): AccountStore {
  const db = openAccountsDb(file);
  const clock = options.clock ?? Date.now;
  const audit = createServerAudit(db, clock);
  return createStore(db, clock, audit);
}

function createStore(db: Database, clock: () => number, audit: ServerAudit): AccountStore {
  const byId = db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE id = ?');
  const byName = db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE name = ?');
  const rolesOf = db.prepare<[string], { project_id: string; role: Role }>(
    'SELECT project_id, role FROM roles WHERE account_id = ? ORDER BY project_id',
  );
  const activeTokens = db.prepare<[string, number], { n: number }>(
    'SELECT count(*) AS n FROM tokens WHERE account_id = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)',
  );
  const actorOf = (by?: By) => by?.actor ?? 'server';
  // Every connection runs it: prepared once.
  const verifyStatement = db.prepare<[string], TokenRow & { name: string; server_admin: number }>(
    'SELECT t.*, a.name, a.server_admin FROM tokens t JOIN accounts a ON a.id = t.account_id WHERE t.hash = ?',
  );
  const roleStatement = db.prepare<[string, string], { role: Role }>(
    'SELECT role FROM roles WHERE account_id = ? AND project_id = ?',
  );
  const roleOf = (accountId: string, projectId: string): Role | null =>
    roleStatement.get(accountId, projectId)?.role ?? null;
  // Projects: the registry's rows, plus ids that exist only as role rows (given before the registry existed).
  const ALL_PROJECTS = `SELECT p.id AS id, p.name AS name, p.created_by AS created_by, p.created_at AS created_at FROM projects p
     UNION ALL
     SELECT DISTINCT r.project_id, NULL, NULL, NULL FROM roles r WHERE r.project_id NOT IN (SELECT id FROM projects)`;
  const projectRows = db.prepare<[], ProjectRow>(`SELECT * FROM (${ALL_PROJECTS}) ORDER BY id`);
  const projectRow = db.prepare<[string, string], ProjectRow>(
    `SELECT id, name, created_by, created_at FROM projects WHERE id = ?
     UNION ALL
     SELECT project_id, NULL, NULL, NULL FROM roles WHERE project_id = ? AND project_id NOT IN (SELECT id FROM projects)
     LIMIT 1`,
  );
  const reachable = db.prepare<[string], { id: string; name: string | null; role: Role }>(
    'SELECT r.project_id AS id, p.name AS name, r.role AS role FROM roles r LEFT JOIN projects p ON p.id = r.project_id WHERE r.account_id = ? ORDER BY r.project_id',
  );
  const insertProject = db.prepare('INSERT INTO projects (id, name, created_by, created_at) VALUES (?, ?, ?, ?)');
  const projectInfo = (row: ProjectRow): ProjectInfo => ({
    id: row.id,
    name: row.name ?? row.id,
    createdBy: row.created_by,
    createdAt: row.created_at,
  });

  const find = (ref: string): AccountRow | undefined =>
    typeof ref === 'string' ? (byId.get(ref) ?? byName.get(ref)) : undefined;
  const mustFind = (ref: string): AccountRow => {
    const row = find(ref);
    if (!row) throw unknownUser(String(ref));
    return row;
  };
  const info = (row: AccountRow): UserInfo => ({
    id: row.id,
    name: row.name,
    serverAdmin: row.server_admin === 1,
    createdAt: row.created_at,
    roles: rolesOf.all(row.id).map((r) => ({ projectId: r.project_id, role: r.role })),
    activeTokens: activeTokens.get(row.id, clock())?.n ?? 0,
  });

  const insertAccount = (name: string, serverAdmin: boolean, actor: string): AccountRow => {
    const problem = typeof name === 'string' ? nameProblem(name) : 'a user name must be text';
    if (problem) throw accountError('invalid_user_name', `Invalid user name: ${problem}.`, String(name));
    if (UUID.test(name))
      throw accountError('invalid_user_name', `"${name}" looks like an account id; pick a name.`, name);
    if (byName.get(name)) throw accountError('user_exists', `There is already a user "${name}".`, name);
    const row: AccountRow = { id: randomUUID(), name, server_admin: serverAdmin ? 1 : 0, created_at: clock() };
    db.prepare('INSERT INTO accounts (id, name, server_admin, created_at) VALUES (?, ?, ?, ?)').run(
      row.id,
      row.name,
      row.server_admin,
      row.created_at,
    );
    audit.append({
      actor,
      action: 'user.add',
      entityKind: 'account',
      entityId: row.id,
      details: { name, serverAdmin },
    });
    return row;
  };

  const issueToken = (account: AccountRow, expiresAt: number | null, actor: string): CreatedToken => {
    if (expiresAt !== null && (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)))
      throw accountError('invalid_expiry', 'A token expiry must be a time (ms since epoch).');
    if (expiresAt !== null && expiresAt <= clock())
      throw accountError('invalid_expiry', `A token cannot expire in the past (${new Date(expiresAt).toISOString()}).`);
    const token = newToken();
    const tokenId = newTokenId();
    db.prepare('INSERT INTO tokens (id, account_id, hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(
      tokenId,
      account.id,
      hashToken(token),
      clock(),
      expiresAt,
    );
    audit.append({
      actor,
      action: 'token.create',
      entityKind: 'token',
      entityId: tokenId,
      details: { accountId: account.id, name: account.name, expiresAt },
    });
    return { tokenId, token, accountId: account.id, name: account.name, expiresAt };
  };

  return {
    audit,

    bootstrap(by) {
      return db
        .transaction((): CreatedToken | null => {
          if (db.prepare("SELECT 1 FROM meta WHERE key = 'bootstrapped_at'").get()) return null;
          db.prepare("INSERT INTO meta (key, value) VALUES ('bootstrapped_at', ?)").run(String(clock()));
          // Someone set the server up with the CLI before its first start: nothing to create.
          if (db.prepare('SELECT 1 FROM accounts WHERE server_admin = 1').get()) return null;
          const actor = actorOf(by);
          const existing = byName.get('admin');
          const admin = existing ?? insertAccount('admin', true, actor);
          if (existing) {
            db.prepare('UPDATE accounts SET server_admin = 1 WHERE id = ?').run(existing.id);
            audit.append({ actor, action: 'user.promote', entityKind: 'account', entityId: existing.id, details: {} });
          }
          audit.append({ actor, action: 'server.bootstrap', entityKind: 'account', entityId: admin.id, details: {} });
          return issueToken(admin, null, actor);
        })
        .immediate();
    },

    addUser(name, options = {}) {
      return db.transaction(() => info(insertAccount(name, options.serverAdmin === true, actorOf(options))))();
    },

    listUsers() {
      return db.prepare<[], AccountRow>('SELECT * FROM accounts ORDER BY name').all().map(info);
    },

    getUser(account) {
      const row = find(account);
      return row ? info(row) : null;
    },

    removeUser(account, by) {
      db.transaction(() => {
        const row = mustFind(account);
        if (row.server_admin === 1) {
          const admins = db
            .prepare<[], { n: number }>('SELECT count(*) AS n FROM accounts WHERE server_admin = 1')
            .get();
          if ((admins?.n ?? 0) <= 1)
            throw accountError(
              'last_server_admin',
              `"${row.name}" is the last server admin and cannot be removed; add another first.`,
              row.name,
            );
        }
        db.prepare('DELETE FROM accounts WHERE id = ?').run(row.id);
        audit.append({
          actor: actorOf(by),
          action: 'user.remove',
          entityKind: 'account',
          entityId: row.id,
          details: { name: row.name },
        });
      }).immediate();
    },

    setRole(account, projectId, role, by) {
      if (role !== null && !Role.safeParse(role).success)
        throw accountError(
          'invalid_role',
          `"${String(role)}" is not a role; use admin, context_engineer or viewer (or none to remove).`,
          String(role),
        );
      checkProjectId(projectId);
      db.transaction(() => {
        const row = mustFind(account);
        const before =
          db
            .prepare<[string, string], { role: Role }>('SELECT role FROM roles WHERE account_id = ? AND project_id = ?')
            .get(row.id, projectId)?.role ?? null;
        if (before === role) return;
        if (role === null)
          db.prepare('DELETE FROM roles WHERE account_id = ? AND project_id = ?').run(row.id, projectId);
        else
          db.prepare(
            'INSERT INTO roles (account_id, project_id, role, granted_at) VALUES (?, ?, ?, ?) ON CONFLICT (account_id, project_id) DO UPDATE SET role = excluded.role, granted_at = excluded.granted_at',
          ).run(row.id, projectId, role, clock());
        audit.append({
          actor: actorOf(by),
          action: 'role.set',
          entityKind: 'project',
          entityId: projectId,
          details: { accountId: row.id, name: row.name, before, after: role },
        });
      }).immediate();
    },

    roleFor: roleOf,

    accessFor(accountId, projectId) {
      const row = byId.get(accountId);
      if (!row) return null;
      return row.server_admin === 1 ? 'admin' : roleOf(accountId, projectId);
    },

    membersOf(projectId) {
      return db
        .prepare<[string], { accountId: string; name: string; role: Role }>(
          'SELECT a.id AS accountId, a.name AS name, r.role AS role FROM roles r JOIN accounts a ON a.id = r.account_id WHERE r.project_id = ? ORDER BY a.name',
        )
        .all(projectId);
    },

    listProjects() {
      return projectRows.all().map(projectInfo);
    },

    getProject(projectId) {
      const row = projectRow.get(projectId, projectId);
      return row ? projectInfo(row) : null;
    },

    projectExists(projectId) {
      return projectRow.get(projectId, projectId) !== undefined;
    },

    projectsFor(accountId) {
      const row = byId.get(accountId);
      if (!row) return [];
      if (row.server_admin === 1)
        return projectRows.all().map((p) => ({ id: p.id, name: p.name ?? p.id, role: 'admin' }));
      return reachable.all(accountId).map((p) => ({ id: p.id, name: p.name ?? p.id, role: p.role }));
    },

    registerProject(accountId, projectId, name) {
      checkProjectId(projectId);
      if (typeof name !== 'string' || name.trim().length === 0 || name.length > 128 || hasControlCharacter(name))
        throw accountError(
          'invalid_project_name',
          'A project name must be 1 to 128 characters, without control characters.',
        );
      return db
        .transaction(() => {
          const account = byId.get(accountId);
          if (!account) throw unknownUser(accountId);
          const known = projectRow.get(projectId, projectId);
          const at = clock();
          if (known) {
            const role = account.server_admin === 1 ? 'admin' : roleOf(accountId, projectId);
            // Older data (role rows only) gets its registry row from a member's push.
            if (role !== null && known.created_by === null) {
              insertProject.run(projectId, name, accountId, at);
              audit.append({
                actor: account.name,
                action: 'project.register',
                entityKind: 'project',
                entityId: projectId,
                details: { accountId, name, existing: true },
              });
              return { project: { id: projectId, name, createdBy: accountId, createdAt: at }, created: false, role };
            }
            return { project: projectInfo(known), created: false, role };
          }
          insertProject.run(projectId, name, accountId, at);
          db.prepare('INSERT INTO roles (account_id, project_id, role, granted_at) VALUES (?, ?, ?, ?)').run(
            accountId,
            projectId,
            'admin',
            at,
          );
          audit.append({
            actor: account.name,
            action: 'project.register',
            entityKind: 'project',
            entityId: projectId,
            details: { accountId, name, role: 'admin' },
          });
          return {
            project: { id: projectId, name, createdBy: accountId, createdAt: at },
            created: true,
            role: 'admin' as Role,
          };
        })
        .immediate();
    },

    createToken(account, options = {}) {
      return db
        .transaction(() => issueToken(mustFind(account), options.expiresAt ?? null, actorOf(options)))
        .immediate();
    },

    revokeToken(tokenId, by) {
      // Someone pasting the token itself where its id belongs: refuse without echoing the secret anywhere.
      if (typeof tokenId === 'string' && looksLikeToken(tokenId))
        throw accountError(
          'invalid_token_id',
          'That is a token, not a token id (ids start with "tok_"); it was not revoked.',
        );
      db.transaction(() => {
        const row = db.prepare<[string], TokenRow>('SELECT * FROM tokens WHERE id = ?').get(tokenId);
        if (!row) throw unknownToken(String(tokenId));
        if (row.revoked_at !== null) return;
        db.prepare('UPDATE tokens SET revoked_at = ? WHERE id = ?').run(clock(), tokenId);
        audit.append({
          actor: actorOf(by),
          action: 'token.revoke',
          entityKind: 'token',
          entityId: tokenId,
          details: { accountId: row.account_id },
        });
      }).immediate();
    },

    listTokens(account) {
      const row = mustFind(account);
      return db
        .prepare<[string], TokenRow>('SELECT * FROM tokens WHERE account_id = ? ORDER BY created_at, id')
        .all(row.id)
        .map((t) => ({
          id: t.id,
          accountId: t.account_id,
          createdAt: t.created_at,
          expiresAt: t.expires_at,
          revokedAt: t.revoked_at,
          lastUsedAt: t.last_used_at,
        }));
    },

    verifyToken(token, now = clock()) {
      if (typeof token !== 'string' || !looksLikeToken(token)) return null;
      const row = verifyStatement.get(hashToken(token));
      if (!row || row.revoked_at !== null) return null;
      if (row.expires_at !== null && row.expires_at <= now) return null;
      if (row.last_used_at === null || now - row.last_used_at >= LAST_USED_RESOLUTION_MS) {
        try {
          db.prepare('UPDATE tokens SET last_used_at = ? WHERE id = ?').run(now, row.id);
        } catch {
          // Last use is a convenience: a busy or full disk must not turn a valid token away.
        }
      }
      return { accountId: row.account_id, name: row.name, serverAdmin: row.server_admin === 1, tokenId: row.id };
    },

    close() {
      if (db.open) db.close();
    },
  };
}

function checkProjectId(projectId: string): void {
  if (typeof projectId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(projectId))
    throw accountError(
      'invalid_project_id',
      `"${String(projectId).slice(0, 80)}" is not a project id (1 to 64 letters, digits, "_", "-").`,
    );
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 0x20 || text.charCodeAt(i) === 0x7f) return true;
  return false;
}
