import { randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import semver from 'semver';
import { tryParseAddress } from '../../shared/address/parse';
import { pickVersion } from '../../shared/address/resolve';
import { canonicalJson, contentHash } from '../../shared/domain/hash';
import { PromptSetContent } from '../../shared/domain/prompt-set';
import { AnvilError } from '../../shared/domain/result';
import { bundleContent } from '../../shared/registry/bundle';
import type { PublishContentRequest } from '../../shared/registry/api';
import { REGISTRY_PATHS } from '../../shared/registry/api';
import type { FolderProblem, FolderRead } from '../../shared/registry/folder';
import {
  GITATTRIBUTES_FILE,
  PROMPT_EXTENSION,
  SET_FILE,
  formatFolderProblem,
  fromFolder,
  nonCanonicalFiles,
  toFolder,
} from '../../shared/registry/folder';
import { classifyChange } from '../../shared/semver/classify';
import type { ProposedVersion, TeamVersion, WhoAmI } from '../../shared/sync/api';
import { API_PATHS } from '../../shared/sync/api';
import { requireRegistry, resolveContext } from './context';
import { getJson } from './http';
import { CliExit, CliFailure, EXIT, guarded, line } from './io';
import type { CliIO } from './io';
import { reportPublish } from './push';
import { registryClient } from './registry';

/**
 * `anvil export`, `anvil import` and `anvil push DIR`: a prompt set as a folder of files (the format is
 * `shared/registry/folder.ts`'s). `registerFolderCommands` adds export and import; `push DIR` is `pushFolder`,
 * which the `push` command calls when given a folder.
 */
export function registerFolderCommands(program: Command, io: CliIO): void {
  program
    .command('export')
    .description('Write a published version of a set as a folder of prompt files (anvil-set.json + NAME.liquid)')
    .argument('<address>', '@project/set, @project/set@1.2.0, @project/set@^1 or @project/set@tag (default: latest)')
    .requiredOption('--out <dir>', 'the folder to write (must be empty or absent, unless --force)')
    .option('--force', 'write into a folder that has files (replaces the set file and prompt files)', false)
    .option('--registry <url>', 'the registry (else ANVIL_REGISTRY, anvil.json, anvil login)')
    .option('--token <token>', 'an access token (else ANVIL_TOKEN or anvil login)')
    .option('--json', 'print the result as JSON', false)
    .action((address: string, o: { out: string; force: boolean; registry?: string; token?: string; json: boolean }) =>
      guarded(io, 'export', o.json, async () => {
        const result = await exportSet(io, address, o);
        if (o.json) line(io.stdout, JSON.stringify(result));
        else {
          line(io.stdout, `exported ${result.name}@${result.version} to ${result.dir}`);
          line(io.stdout, `${result.prompts} prompt${result.prompts === 1 ? '' : 's'}, integrity ${result.integrity}`);
        }
      }),
    );

  program
    .command('import')
    .description(
      'Read and check a set folder and show what it holds; with --server, save it as a team version (history)',
    )
    .argument('<dir>', 'the set folder (anvil-set.json + NAME.liquid files)')
    .option('--server <url>', 'save it on this sync server as a team version of its set')
    .option('--registry <url>', 'the same as --server')
    .option('--token <token>', 'an access token (else ANVIL_TOKEN or anvil login)')
    .option('--project <projectId>', "save it in this project (default: the set file's projectId)")
    .option('--version <version>', "the version number (default: the set file's version)")
    .option('--override <reason>', 'the reason for a breaking change under a minor/patch number')
    .option('--check', 'also fail (exit 2) when a file is not in the form anvil export writes', false)
    .option('--json', 'print the result as JSON', false)
    .action(
      (
        dir: string,
        o: {
          server?: string;
          registry?: string;
          token?: string;
          project?: string;
          version?: string;
          override?: string;
          check: boolean;
          json: boolean;
        },
      ) =>
        guarded(io, 'import', o.json, async () => {
          const { files, read } = await readSetFolder(io, dir, o.json);
          const canonical = nonCanonicalFiles(files, read);
          const summary = summaryOf(resolve(io.cwd, dir), read, canonical);
          let saved: { id: string; seq: number; created: boolean; projectId: string; version: string } | null = null;
          if (o.server !== undefined || o.registry !== undefined) saved = await proposeFolder(io, read, o);
          if (o.json) line(io.stdout, JSON.stringify({ ...summary, saved }));
          else {
            for (const l of summaryLines(summary)) line(io.stdout, l);
            if (saved)
              line(
                io.stdout,
                saved.created
                  ? `saved as team version ${read.content.name}@${saved.version} in project ${saved.projectId} (seq ${saved.seq}); studios get it with the project's history`
                  : `the server already had this version (seq ${saved.seq}); nothing changed`,
              );
          }
          if (o.check && canonical.length > 0) {
            line(io.stderr, `anvil import: ${canonical.length} file(s) not in canonical form: ${canonical.join(', ')}`);
            throw new CliExit(EXIT.failure);
          }
        }),
    );
}

// ---- reading and writing folders ------------------------------------------------------------------------------

const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** The folder's top-level files as text (UTF-8, checked); sub-folders are not part of a set. */
export async function readFolderFiles(dir: string): Promise<Map<string, string>> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliFailure(
      'no_folder',
      code === 'ENOENT' ? `${dir} does not exist` : `could not read ${dir}: ${(err as Error).message}`,
    );
  }
  const files = new Map<string, string>();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (!entry.isFile() && !(entry.isSymbolicLink() && (await stat(path)).isFile())) continue;
    if (entry.name !== SET_FILE && entry.name !== GITATTRIBUTES_FILE && !entry.name.endsWith(PROMPT_EXTENSION)) {
      files.set(entry.name, '');
      continue;
    }
    const bytes = await readFile(path);
    if (bytes.length > MAX_FILE_BYTES)
      throw new CliFailure('too_large', `${path} is ${bytes.length} bytes; a prompt file holds at most 8 MiB`);
    try {
      files.set(entry.name, decoder.decode(bytes));
    } catch {
      throw new CliFailure('invalid_folder', `${path}: not UTF-8 text`);
    }
  }
  return files;
}

/** Reads and checks a set folder; its problems are printed one per line (file:line:column: what) and exit 2. */
async function readSetFolder(
  io: CliIO,
  dir: string,
  json: boolean,
): Promise<{ files: Map<string, string>; read: FolderRead; path: string }> {
  const path = resolve(io.cwd, dir);
  const files = await readFolderFiles(path);
  try {
    return { files, read: fromFolder(files), path };
  } catch (err) {
    if (!(err instanceof AnvilError) || err.code !== 'invalid_folder') throw err;
    const problems = (err.details as { problems: FolderProblem[] }).problems;
    line(
      io.stderr,
      `anvil: ${path} is not a valid set folder (${problems.length} problem${problems.length === 1 ? '' : 's'}):`,
    );
    for (const p of problems) line(io.stderr, `  ${formatFolderProblem({ ...p, file: join(dir, p.file) })}`);
    if (json) line(io.stdout, JSON.stringify({ error: { code: err.code, message: err.message, problems } }));
    throw new CliExit(EXIT.failure);
  }
}

interface FolderSummary {
  dir: string;
  set: { id: string; projectId: string; name: string; description: string };
  version: string | null;
  changelog: string;
  dependencies: Record<string, string>;
  prompts: { name: string; kind: 'text' | 'chat'; parameters: string[] }[];
  ignored: string[];
  nonCanonical: string[];
}

function summaryOf(dir: string, read: FolderRead, nonCanonical: string[]): FolderSummary {
  const c = read.content;
  return {
    dir,
    set: { id: c.id, projectId: c.projectId, name: c.name, description: c.description },
    version: read.version,
    changelog: read.changelog,
    dependencies: c.dependencies,
    prompts: c.prompts.map((p) => ({ name: p.name, kind: p.kind, parameters: p.parameters.map((x) => x.name) })),
    ignored: read.ignored,
    nonCanonical,
  };
}

function summaryLines(s: FolderSummary): string[] {
  const out = [`set ${s.set.name} (id ${s.set.id}, project ${s.set.projectId}), version ${s.version ?? '(none yet)'}`];
  if (s.set.description) out.push(`  ${s.set.description.split('\n')[0]}`);
  for (const [name, range] of Object.entries(s.dependencies)) out.push(`depends on ${name} ${range}`);
  const width = Math.max(0, ...s.prompts.map((p) => p.name.length));
  out.push(`${s.prompts.length} prompt${s.prompts.length === 1 ? '' : 's'}:`);
  for (const p of s.prompts)
    out.push(
      `  ${p.name.padEnd(width)}  ${p.kind}  ${p.parameters.length === 0 ? 'no parameters' : p.parameters.join(', ')}`,
    );
  if (s.ignored.length > 0) out.push(`not part of the set (left alone): ${s.ignored.join(', ')}`);
  if (s.nonCanonical.length > 0)
    out.push(`not in the form anvil export writes (valid, would be rewritten): ${s.nonCanonical.join(', ')}`);
  return out;
}

async function isEmptyFolder(dir: string): Promise<boolean | null> {
  try {
    return (await readdir(dir)).length === 0;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Writes a folder's files; with `replace`, set and prompt files the new folder does not have are removed. */
export async function writeFolder(dir: string, files: ReadonlyMap<string, string>, replace: boolean): Promise<void> {
  await mkdir(dir, { recursive: true });
  if (replace)
    for (const name of await readdir(dir))
      if ((name === SET_FILE || name.endsWith(PROMPT_EXTENSION)) && !files.has(name)) await rm(join(dir, name));
  for (const [name, text] of files) await writeFile(join(dir, name), text);
}

// ---- export ---------------------------------------------------------------------------------------------------

async function exportSet(
  io: CliIO,
  address: string,
  o: { out: string; force: boolean; registry?: string; token?: string },
): Promise<{ name: string; version: string; integrity: string; dir: string; prompts: number; files: string[] }> {
  const parsed = tryParseAddress(address);
  if (!parsed.ok) throw new CliFailure('invalid_address', parsed.error.message);
  if (parsed.value.prompt !== undefined)
    throw new CliFailure(
      'invalid_address',
      `export writes a whole set: give @${parsed.value.project}/${parsed.value.set} without the prompt`,
    );
  const dir = resolve(io.cwd, o.out);
  const empty = await isEmptyFolder(dir);
  if (empty === false && !o.force)
    throw new CliFailure('folder_not_empty', `${dir} is not empty; choose an empty folder or pass --force`);

  const ctx = await resolveContext(io, { registry: o.registry, token: o.token });
  const client = registryClient(ctx);
  const name = `@${parsed.value.project}/${parsed.value.set}`;
  const answer = await client.metadata(name);
  if (answer.notModified) throw new CliFailure('invalid_response', `the registry answered no metadata for ${name}`);
  const meta = answer.metadata;
  const version = pickVersion(Object.keys(meta.versions), parsed.value.selector, { tags: meta.distTags });
  if (version === null)
    throw new CliFailure(
      'no_matching_version',
      `no published version of ${name} matches ${address} (published: ${Object.keys(meta.versions).join(', ') || 'none'})`,
    );
  const record = meta.versions[version] as (typeof meta.versions)[string];
  // Verified against the integrity the registry published (readBundle: bytes, schema, entries).
  const bundle = await client.bundle(name, version, record.integrity);
  const content = bundleContent(bundle.document);
  const files = toFolder(content, { version, changelog: bundle.document.manifest.changelog });
  await writeFolder(dir, files, o.force);
  return {
    name,
    version,
    integrity: bundle.integrity,
    dir,
    prompts: content.prompts.length,
    files: [...files.keys()],
  };
}

// ---- import --server: a team version --------------------------------------------------------------------------

async function proposeFolder(
  io: CliIO,
  read: FolderRead,
  o: { server?: string; registry?: string; token?: string; project?: string; version?: string; override?: string },
): Promise<{ id: string; seq: number; created: boolean; projectId: string; version: string }> {
  const ctx = await resolveContext(io, { registry: o.server ?? o.registry, token: o.token });
  const base = requireRegistry(ctx);
  if (!ctx.token) throw new CliFailure('no_token', 'no token: pass --token, set ANVIL_TOKEN or run `anvil login`');
  const version = o.version ?? read.version;
  if (!version) throw new CliFailure('no_version', `${SET_FILE} has no version: set "version" in it or pass --version`);
  if (semver.valid(version) !== version)
    throw new CliFailure('invalid_version', `"${version}" is not a semantic version (major.minor.patch)`);
  const projectId = o.project ?? read.content.projectId;
  const content = PromptSetContent.parse({ ...read.content, projectId });
  const who = await getJson<WhoAmI>(base, API_PATHS.whoami, ctx.token, 'ask the server who you are');

  // The change class against the set's previous version on the server, as the studio records it.
  let previous: TeamVersion | null = null;
  for (let after = 0; ;) {
    const page = await getJson<{ versions: TeamVersion[]; next: number }>(
      base,
      `${API_PATHS.versions(projectId)}?after=${after}&limit=1000`,
      ctx.token,
      `list the versions of project ${projectId}`,
    );
    for (const v of page.versions)
      if (v.setId === content.id && semver.lt(v.version, version))
        if (!previous || semver.gt(v.version, previous.version)) previous = v;
    if (page.versions.length === 0 || page.next === after) break;
    after = page.next;
  }
  const changeClass = previous
    ? classifyChange(PromptSetContent.parse(JSON.parse(previous.content)), content).changeClass
    : 'none';
  const proposal: ProposedVersion = {
    id: `import-${randomUUID()}`,
    setId: content.id,
    version,
    changelog: read.changelog,
    author: who.name,
    createdAt: new Date().toISOString(),
    contentHash: await contentHash(content),
    changeClass,
    override: o.override ?? null,
    content: canonicalJson(content),
  };
  const res = await send(base, 'POST', API_PATHS.versions(projectId), ctx.token, proposal);
  if (res.status === 200 || res.status === 201) {
    const v = res.body as TeamVersion;
    return { id: v.id, seq: v.seq, created: res.status === 201, projectId, version: v.version };
  }
  const error = (res.body as { error?: { code?: string; message?: string } } | null)?.error;
  const hint =
    error?.code === 'unknown_set'
      ? ' (a team version needs the set on the server, synced by a studio; `anvil push DIR` publishes a new set without one)'
      : '';
  throw new CliFailure(
    error?.code ?? 'server_error',
    `${base} refused the version: ${error?.message ?? `status ${res.status}`}${hint}`,
  );
}

async function send(
  base: string,
  method: string,
  path: string,
  token: string,
  body: unknown,
): Promise<{ status: number; text: string; body: unknown }> {
  let res: Response;
  try {
    res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    throw new CliFailure('registry_unreachable', `${base} is unreachable (${e.cause?.code ?? e.message})`);
  }
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = null;
  }
  return { status: res.status, text, body: parsed };
}

// ---- push DIR -------------------------------------------------------------------------------------------------

export interface PushFolderOptions {
  server?: string | undefined;
  registry?: string | undefined;
  token?: string | undefined;
  version?: string | undefined;
  changelog?: string | undefined;
  override?: string | undefined;
  json?: boolean | undefined;
}

/**
 * `anvil push DIR`: publishes the set a folder holds. The server records it as a team version of its set (so
 * studios see it in the set's history) and publishes it with every check of a studio's publish: roles, edit
 * modes (review mode opens a review), the bump, templates, dependencies. Refusals: one problem per line, exit 2.
 */
export async function pushFolder(io: CliIO, dir: string, o: PushFolderOptions): Promise<void> {
  const { read } = await readSetFolder(io, dir, o.json ?? false);
  const version = o.version ?? read.version;
  if (!version) throw new CliFailure('no_version', `${SET_FILE} has no version: set "version" in it or pass --version`);
  const ctx = await resolveContext(io, { registry: o.server ?? o.registry, token: o.token });
  const base = requireRegistry(ctx);
  if (!ctx.token)
    throw new CliFailure(
      'no_token',
      'no token: pass --token, set ANVIL_TOKEN or run `anvil login` (anvil token create makes one)',
    );
  const request: PublishContentRequest = {
    projectId: read.content.projectId,
    content: read.content,
    version,
    changelog: o.changelog ?? read.changelog,
    override: o.override ?? null,
  };
  const res = await send(base, 'POST', REGISTRY_PATHS.publish, ctx.token, request);
  if (o.json) {
    line(io.stdout, res.text.trim());
    if (res.status !== 201 && res.status !== 202) throw new CliExit(EXIT.failure);
    return;
  }
  const code = reportPublish(res.status, res.text, {
    out: (l) => line(io.stdout, l),
    err: (l) => line(io.stderr, l),
  });
  if (code !== 0) throw new CliExit(EXIT.failure);
}
