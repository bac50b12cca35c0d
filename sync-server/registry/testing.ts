// Helpers for the registry's tests: a data folder with real accounts, team versions and registry stores.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { Prompt, PromptSetContent } from '../../shared/domain';
import { canonicalJson } from '../../shared/domain';
import { textPrompt } from '../../shared/domain/fixtures';
import type { TeamVersion } from '../../shared/sync/api';
import type { AccountStore } from '../accounts';
import { ACCOUNTS_FILE, openAccountStore } from '../accounts';
import type { ApiCaller } from '../api/backend';
import { tempDir } from '../server/testing';
import type { TeamVersionStore } from '../versions';
import { VERSIONS_FILE, openTeamVersionStore } from '../versions';
import type { RegistryOptions } from './service';
import { createRegistry } from './service';
import type { Registry } from './types';

export interface RegistryWorld {
  dir: string;
  accounts: AccountStore;
  versions: TeamVersionStore;
  registry: Registry;
  /** `root` (server admin), `ed` (admin of p1 "acme"), `cy` (context engineer), `vi` (viewer), `out` (no role). */
  as: Record<'root' | 'ed' | 'cy' | 'vi' | 'out', ApiCaller>;
  /** Saves a team version of `content` in p1 (as a studio's version sync would). */
  save(content: PromptSetContent, version: string, options?: { override?: string; setId?: string }): TeamVersion;
  /** Another Registry on the same folder, as a second server process would open it. */
  another(options?: Partial<RegistryOptions>): Registry;
  log: string[];
  close(): void;
}

export function registryWorld(dirs: string[], options: Partial<RegistryOptions> = {}): RegistryWorld {
  const dir = tempDir(dirs);
  const accounts = openAccountStore(join(dir, ACCOUNTS_FILE));
  const versions = openTeamVersionStore(join(dir, VERSIONS_FILE));
  accounts.bootstrap();
  const caller = (name: string): ApiCaller => {
    const user = accounts.getUser(name);
    if (!user) throw new Error(`no user ${name}`);
    return { accountId: user.id, name: user.name, serverAdmin: user.serverAdmin };
  };
  for (const name of ['ed', 'cy', 'vi', 'out']) accounts.addUser(name);
  accounts.registerProject(caller('ed').accountId, 'p1', 'acme');
  accounts.setRole('cy', 'p1', 'context_engineer');
  accounts.setRole('vi', 'p1', 'viewer');
  const log: string[] = [];
  const opened: Registry[] = [];
  const open = (more: Partial<RegistryOptions> = {}) => {
    const r = createRegistry({ dataDir: dir, accounts, versions, log: (l) => log.push(l), ...options, ...more });
    opened.push(r);
    return r;
  };
  const registry = open();
  let n = 0;
  return {
    dir,
    accounts,
    versions,
    registry,
    as: {
      root: caller('admin'),
      ed: caller('ed'),
      cy: caller('cy'),
      vi: caller('vi'),
      out: caller('out'),
    },
    save(content, version, opts = {}) {
      const json = canonicalJson(content);
      const { version: team } = versions.propose('p1', caller('cy').accountId, {
        id: `tv-${++n}`,
        setId: opts.setId ?? content.id,
        version,
        changelog: `changes in ${version}`,
        author: 'cy',
        createdAt: '2026-11-25T10:00:00.000Z',
        contentHash: `sha256-${createHash('sha256').update(json, 'utf8').digest('hex')}`,
        changeClass: 'patch',
        override: opts.override ?? null,
        content: json,
      });
      return team;
    },
    another: open,
    log,
    close() {
      for (const r of opened) r.close();
      versions.close();
      accounts.close();
    },
  };
}

/** The set `common` of p1 (`@acme/common`): one text prompt `signature`. */
export function commonSet(prompts: Prompt[] = [textPrompt('p-sig', 'signature', 'The Acme team')]): PromptSetContent {
  return { id: 'set-common', projectId: 'p1', name: 'common', description: 'Shared bits', dependencies: {}, prompts };
}

/** The set `support` of p1 (`@acme/support`): `greet` renders `@acme/common/signature`, `triage` is a chat. */
export function supportSet(over: Partial<PromptSetContent> = {}): PromptSetContent {
  return {
    id: 'set-support',
    projectId: 'p1',
    name: 'support',
    description: 'Customer support prompts',
    dependencies: { '@acme/common': '^1.0.0' },
    prompts: [
      textPrompt('p-greet', 'greet', "Hello {{ customer }}!\n{% render '@acme/common/signature' %}", {
        description: 'Greets a customer',
        parameters: [{ name: 'customer', type: { type: 'string' }, required: true, description: '' }],
      }),
      {
        id: 'p-triage',
        name: 'triage',
        description: 'Sorts a ticket into a queue',
        kind: 'chat',
        messages: [
          { type: 'message', role: 'system', content: 'Sort tickets.' },
          { type: 'message', role: 'user', content: '{{ ticket }}' },
        ],
        parameters: [{ name: 'ticket', type: { type: 'string' }, required: true, description: '' }],
        model: null,
        metadata: {},
      },
    ],
    ...over,
  };
}
