import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { LOCKFILE_NAME } from '../../shared/registry/lockfile';
import { MANIFEST_FILE, parseManifest } from '../../shared/registry/manifest';
import type { ConsumerManifest } from '../../shared/registry/manifest';
import { CliFailure } from './io';
import type { CliIO } from './io';

/** A consumer project's files, relative to the folder a command runs in (client/sdk/pull.ts writes them). */
export const PROJECT_FILES = {
  manifest: MANIFEST_FILE,
  lockfile: LOCKFILE_NAME,
  cacheDir: join('.anvil', 'cache'),
  vendorDir: 'anvil_prompts',
  types: 'anvil-types.d.ts',
} as const;

/** What a command was given: `--registry` and `--token` (absent when not). */
export interface ContextFlags {
  registry?: string | undefined;
  token?: string | undefined;
}

export type Source = 'flag' | 'env' | 'manifest' | 'credentials';

export interface Context {
  cwd: string;
  manifestPath: string;
  lockfilePath: string;
  cacheDir: string;
  vendorDir: string;
  /** anvil.json when there is one (a broken one is an error naming the field). */
  manifest: ConsumerManifest | null;
  /** The registry's base URL (normalised: http(s), no trailing slash), and where it came from. */
  registry: string | null;
  registrySource: Source | null;
  token: string | null;
  tokenSource: Exclude<Source, 'manifest'> | null;
}

/** `http(s)://host[:port][/base]` without a trailing slash (the `ws(s)://` address a studio uses is accepted). */
export function normalizeRegistry(url: string, where = 'the registry'): string {
  const text = url.trim().replace(/^ws(s?):\/\//, 'http$1://');
  let parsed: URL | null = null;
  try {
    parsed = new URL(text);
  } catch {
    parsed = null;
  }
  if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.search || parsed.hash)
    throw new CliFailure(
      'invalid_registry',
      `${where} "${url}" is not an http(s) URL such as https://anvil.example.com`,
    );
  return text.replace(/\/+$/, '');
}

const nonEmpty = (v: string | undefined): string | undefined => (v === undefined || v.trim() === '' ? undefined : v);

/**
 * The registry and token a command uses, first found wins: `--registry` / `--token`, then `ANVIL_REGISTRY` /
 * `ANVIL_TOKEN`, then anvil.json's `registry`, then what `anvil login` saved (the token saved for that registry;
 * with no registry anywhere, the one logged in to last). The credentials file is read only when needed.
 */
export async function resolveContext(io: CliIO, flags: ContextFlags = {}): Promise<Context> {
  const manifestPath = join(io.cwd, PROJECT_FILES.manifest);
  let manifest: ConsumerManifest | null = null;
  const text = await readFile(manifestPath, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw new CliFailure('unreadable', `could not read ${manifestPath}: ${err.message}`);
  });
  if (text !== null) manifest = parseManifest(text, manifestPath);

  let registry: string | null = null;
  let registrySource: Source | null = null;
  const flagRegistry = nonEmpty(flags.registry);
  const envRegistry = nonEmpty(io.env.ANVIL_REGISTRY);
  if (flagRegistry) [registry, registrySource] = [normalizeRegistry(flagRegistry, '--registry'), 'flag'];
  else if (envRegistry) [registry, registrySource] = [normalizeRegistry(envRegistry, 'ANVIL_REGISTRY'), 'env'];
  else if (manifest?.registry)
    [registry, registrySource] = [normalizeRegistry(manifest.registry, `${manifestPath} "registry"`), 'manifest'];

  let token: string | null = null;
  let tokenSource: Context['tokenSource'] = null;
  const flagToken = nonEmpty(flags.token);
  const envToken = nonEmpty(io.env.ANVIL_TOKEN);
  if (flagToken) [token, tokenSource] = [flagToken, 'flag'];
  else if (envToken) [token, tokenSource] = [envToken, 'env'];

  if (!token || !registry) {
    const credentials = await readCredentials(io.env);
    if (!registry && credentials.default && credentials.registries[credentials.default]) {
      registry = credentials.default;
      registrySource = 'credentials';
    }
    const saved = registry ? credentials.registries[registry] : undefined;
    if (!token && saved) [token, tokenSource] = [saved.token, 'credentials'];
  }

  return {
    cwd: io.cwd,
    manifestPath,
    lockfilePath: join(io.cwd, PROJECT_FILES.lockfile),
    cacheDir: join(io.cwd, PROJECT_FILES.cacheDir),
    vendorDir: join(io.cwd, PROJECT_FILES.vendorDir),
    manifest,
    registry,
    registrySource,
    token,
    tokenSource,
  };
}

/** The registry or a failure saying every way to give one. */
export function requireRegistry(ctx: Context): string {
  if (ctx.registry) return ctx.registry;
  throw new CliFailure(
    'no_registry',
    'no registry: pass --registry URL, set ANVIL_REGISTRY, add "registry" to anvil.json, or run `anvil login --registry URL`',
  );
}

// ---- the credentials file -------------------------------------------------------------------------------

export interface SavedLogin {
  token: string;
  /** The account the token belongs to, as the registry answered at login. */
  account: string;
  savedAt: string;
}

export interface Credentials {
  version: 1;
  /** The registry logged in to last: used when nothing else names one. */
  default: string | null;
  /** Normalised registry URL → its login. */
  registries: Record<string, SavedLogin>;
}

/** `$ANVIL_CONFIG_DIR`, else `$XDG_CONFIG_HOME/anvil`, else `~/.config/anvil`. */
export function configDir(env: CliIO['env']): string {
  const own = nonEmpty(env.ANVIL_CONFIG_DIR);
  if (own) return own;
  const xdg = nonEmpty(env.XDG_CONFIG_HOME);
  return join(xdg ?? join(nonEmpty(env.HOME) ?? homedir(), '.config'), 'anvil');
}

export const credentialsPath = (env: CliIO['env']): string => join(configDir(env), 'credentials.json');

const empty = (): Credentials => ({ version: 1, default: null, registries: {} });

/**
 * The saved logins; none when the file does not exist. A file others may read (or write) is refused: it holds
 * tokens, and a token that leaked must be revoked rather than silently used (Windows has no such modes).
 */
export async function readCredentials(env: CliIO['env']): Promise<Credentials> {
  const path = credentialsPath(env);
  let mode: number;
  try {
    mode = (await stat(path)).mode;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return empty();
    throw new CliFailure('unreadable', `could not read ${path}: ${(err as Error).message}`);
  }
  if (process.platform !== 'win32' && (mode & 0o077) !== 0)
    throw new CliFailure(
      'credentials_insecure',
      `${path} is readable by others (mode ${(mode & 0o777).toString(8).padStart(4, '0')}); ` +
        `run \`chmod 600 ${path}\` (and revoke its tokens if others may have read them)`,
    );
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new CliFailure(
      'invalid_credentials',
      `${path} is not valid JSON (${(err as Error).message}); delete it and run \`anvil login\` again`,
    );
  }
  const c = raw as Partial<Credentials>;
  if (!c || typeof c !== 'object' || c.version !== 1 || typeof c.registries !== 'object' || c.registries === null)
    throw new CliFailure(
      'invalid_credentials',
      `${path} is not an Anvil credentials file; delete it and run \`anvil login\` again`,
    );
  return { version: 1, default: typeof c.default === 'string' ? c.default : null, registries: c.registries };
}

/** Saves a login (and makes its registry the default): mode 0600 from the first byte, in one rename. */
export async function saveLogin(env: CliIO['env'], registry: string, login: SavedLogin): Promise<string> {
  const current = await readCredentials(env);
  const next: Credentials = {
    version: 1,
    default: registry,
    registries: { ...current.registries, [registry]: login },
  };
  const dir = configDir(env);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const path = credentialsPath(env);
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(tmp, 'wx', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(next, null, 2)}\n`);
    await handle.sync();
    await handle.close();
    await rename(tmp, path);
  } catch (err) {
    await handle.close().catch(() => {});
    await rm(tmp, { force: true });
    throw err;
  }
  return path;
}
