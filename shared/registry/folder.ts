import YAML, { isMap, isPair, isScalar, LineCounter } from 'yaml';
import type { Document, Node as YamlNode } from 'yaml';
import { z } from 'zod';
import { canonicalJson } from '../domain/hash';
import { ModelSettings } from '../domain/model-settings';
import { Id, Name, nameProblem } from '../domain/names';
import { Parameter } from '../domain/parameter';
import type { ParamType } from '../domain/parameter';
import { ChatItem, Prompt } from '../domain/prompt';
import type { ChatPrompt, TextPrompt } from '../domain/prompt';
import { Dependencies, PromptSetContent } from '../domain/prompt-set';
import { AnvilError } from '../domain/result';
import { SemverNumber } from '../domain/version';
import { entryNameProblem } from './names';

/**
 * A prompt set as a folder of files a person edits and git diffs (`anvil export` / `anvil import` / `anvil push
 * DIR`). Pure: files in, content out, and back; the command line does the reading and writing.
 *
 *   anvil-set.json    the set: format, id, projectId, name, description, version, changelog, dependencies and
 *                     the prompts' order (their names); JSON, 2-space indented, keys in that order
 *   NAME.liquid       one per prompt: a front-matter block, then the template byte for byte
 *   .gitattributes    `*.liquid -text`: git must never rewrite the line endings of byte-exact files
 *
 * A prompt file starts with a line `---`, then YAML (keys in this order, defaults left out): `kind: chat` (chat
 * prompts only; text is the default), `id`, `description`, `parameters`, `model`, `metadata`, then a line `---`.
 * Everything after that line is the prompt: for a text prompt its template, exactly (no newline added or
 * removed, CRLF and `---` lines kept). For a chat prompt, its messages, each after a marker line:
 *
 *   --- system ---            --- user ---            --- assistant ---            --- history NAME ---
 *
 * A message's text runs from the line after its marker to the newline before the next marker (that one newline
 * belongs to the format), or to the end of the file; a history placeholder has no text. When a message's text
 * has a line that could be read as a marker (`--- anything ---`), or a history name is not a plain word, the
 * messages are written in the front matter instead (`messages:`, as YAML strings, still exact) and the body is
 * empty. Both forms are read; `toFolder` writes the marker form whenever it is exact.
 *
 * `fromFolder(toFolder(c))` equals `c`, and `toFolder(fromFolder(files))` gives back the same files when they
 * are in the form `toFolder` writes (hand-edited files may use any YAML: key order, comments, flow style; they
 * come back in the canonical form). Every problem is reported with its file and, when it is in the file, its
 * line and column (1-based): bad JSON or YAML, unknown keys, wrong types, a file name that is not a prompt name,
 * two files with one prompt id, a marker-like line that is not a marker, a missing set file.
 */

export const SET_FILE = 'anvil-set.json';
export const SET_FORMAT = 'anvil-set@1';
export const PROMPT_EXTENSION = '.liquid';
export const GITATTRIBUTES_FILE = '.gitattributes';
export const GITATTRIBUTES_TEXT =
  '# Anvil prompt files are byte-exact: git must never rewrite their line endings.\n*.liquid -text\nanvil-set.json -text\n';

/** What a folder holds besides the set's content: the version it is (or will be) and its changelog. */
export interface FolderExtra {
  version?: string | null;
  changelog?: string;
}

export interface FolderSet {
  content: PromptSetContent;
  version: string | null;
  changelog: string;
}

export interface FolderRead extends FolderSet {
  /** Files that are not part of the format (README.md, …), left alone. */
  ignored: string[];
}

export interface FolderProblem {
  file: string;
  line?: number;
  column?: number;
  message: string;
}

/** `file:line:column: message`, as compilers print it (editors jump to it). */
export function formatFolderProblem(p: FolderProblem): string {
  const at = p.line === undefined ? p.file : `${p.file}:${p.line}:${p.column ?? 1}`;
  return `${at}: ${p.message}`;
}

// ---- writing ------------------------------------------------------------------------------------------------

const MARKER = /^--- (system|user|assistant|history [A-Za-z0-9_.-]+) ---$/;
/** A line a person could mean as a marker: refused when it is not exactly one, so none is silently text. */
const MARKER_LIKE = /^\s*-{3,}\s*[A-Za-z].*-{3,}\s*$/;
const HISTORY_NAME = /^[A-Za-z0-9_.-]+$/;

const YAML_OUT = { lineWidth: 0, aliasDuplicateObjects: false, blockQuote: 'literal' } as const;

/**
 * The front matter as YAML, checked by reading it back: block scalars (`|`) read best, but the yaml package
 * writes a few strings (a line of spaces alone) as blocks, or folded quoted lines, it then reads differently;
 * those fronts are written with JSON-style quoted strings, or as JSON (which is YAML) if even that is not exact.
 */
function yamlOut(front: Record<string, unknown>): string {
  const expected = canonicalJson(front);
  for (const options of [YAML_OUT, { ...YAML_OUT, blockQuote: false, doubleQuotedAsJSON: true }] as const) {
    const text = YAML.stringify(front, options);
    // A line "---" would end the front matter early.
    if (!text.split('\n').includes('---') && canonicalJson(YAML.parse(text)) === expected) return text;
  }
  // JSON is YAML, and always exact.
  return `${JSON.stringify(front, null, 2)}\n`;
}

/** Keys in a fixed order, so the same content always gives the same bytes. */
function typeOut(t: ParamType): Record<string, unknown> {
  switch (t.type) {
    case 'array':
      return { type: 'array', items: typeOut(t.items) };
    case 'object': {
      const properties: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(t.properties)) properties[k] = typeOut(v);
      return { type: 'object', properties, ...(t.required === undefined ? {} : { required: [...t.required] }) };
    }
    case 'boolean':
      return { type: 'boolean' };
    default:
      return { type: t.type, ...(t.enum === undefined ? {} : { enum: [...t.enum] }) };
  }
}

function parameterOut(p: Parameter): Record<string, unknown> {
  return {
    name: p.name,
    type: typeOut(p.type),
    required: p.required,
    ...(p.default === undefined ? {} : { default: p.default }),
    ...(p.description === '' ? {} : { description: p.description }),
  };
}

function modelOut(m: ModelSettings): Record<string, unknown> {
  const out: Record<string, unknown> = { provider: m.provider, model: m.model };
  for (const key of ['temperature', 'maxTokens', 'topP', 'stop'] as const) if (m[key] !== undefined) out[key] = m[key];
  if (m.tools !== undefined)
    out.tools = m.tools.map((t) => ({
      name: t.name,
      ...(t.description === '' ? {} : { description: t.description }),
      parameters: t.parameters,
    }));
  if (m.responseSchema !== undefined) out.responseSchema = m.responseSchema;
  return out;
}

/** Whether a chat prompt's messages can be written after markers and read back exactly. */
function markersExact(p: ChatPrompt): boolean {
  return p.messages.every((m) =>
    m.type === 'history' ? HISTORY_NAME.test(m.name) : !m.content.split('\n').some((l) => MARKER_LIKE.test(l)),
  );
}

function chatBody(p: ChatPrompt): string {
  return p.messages
    .map((m) => (m.type === 'history' ? `--- history ${m.name} ---` : `--- ${m.role} ---\n${m.content}`))
    .join('\n');
}

/** The file a prompt is written to. */
export function promptFileName(name: string): string {
  return `${name}${PROMPT_EXTENSION}`;
}

function promptFile(p: Prompt): string {
  const front: Record<string, unknown> = {};
  const inline = p.kind === 'chat' && !markersExact(p);
  if (p.kind === 'chat') front.kind = 'chat';
  front.id = p.id;
  if (p.description !== '') front.description = p.description;
  if (p.parameters.length > 0) front.parameters = p.parameters.map(parameterOut);
  if (p.model !== null) front.model = modelOut(p.model);
  if (Object.keys(p.metadata).length > 0) front.metadata = { ...p.metadata };
  if (p.kind === 'chat' && inline)
    front.messages = p.messages.map((m) =>
      m.type === 'history' ? { type: 'history', name: m.name } : { type: 'message', role: m.role, content: m.content },
    );
  const body = p.kind === 'text' ? p.template : inline ? '' : chatBody(p);
  return `---\n${yamlOut(front)}---\n${body}`;
}

/**
 * The folder of a set: file name → text, the set file first, then one file per prompt in the set's order.
 * `extra` fills the set file's version (null: not decided yet) and changelog.
 */
export function toFolder(content: PromptSetContent, extra: FolderExtra = {}): Map<string, string> {
  const set = {
    format: SET_FORMAT,
    id: content.id,
    projectId: content.projectId,
    name: content.name,
    description: content.description,
    version: extra.version ?? null,
    changelog: extra.changelog ?? '',
    dependencies: content.dependencies,
    prompts: content.prompts.map((p) => p.name),
  };
  const files = new Map<string, string>();
  files.set(SET_FILE, `${JSON.stringify(set, null, 2)}\n`);
  files.set(GITATTRIBUTES_FILE, GITATTRIBUTES_TEXT);
  for (const p of content.prompts) files.set(promptFileName(p.name), promptFile(p));
  return files;
}

// ---- reading ------------------------------------------------------------------------------------------------

type Path = readonly (string | number)[];

/** A parsed YAML (or JSON) text with what is needed to point at a path in it. */
interface Located {
  doc: Document.Parsed;
  lines: LineCounter;
  /** Added to the YAML's lines (the front matter starts on line 2 of its file). */
  lineOffset: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function positionOf(loc: Located | null, path: Path, key?: string): { line: number; column: number } | undefined {
  if (!loc) return undefined;
  let node: unknown = loc.doc.contents;
  let best: YamlNode | null = (node as YamlNode | null) ?? null;
  const steps = key === undefined ? path : [...path, key];
  for (const [i, step] of steps.entries()) {
    if (!node || typeof node !== 'object') break;
    const last = key !== undefined && i === steps.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(step));
      if (!pair) break;
      // An unknown key points at the key itself; anything else at its value (or the key when there is none).
      const target = last ? pair.key : (pair.value ?? pair.key);
      node = target;
      if (target && (target as YamlNode).range) best = target as YamlNode;
      continue;
    }
    const items = (node as { items?: unknown[] }).items;
    if (Array.isArray(items) && typeof step === 'number' && items[step]) {
      node = items[step];
      if ((node as YamlNode).range) best = node as YamlNode;
      continue;
    }
    break;
  }
  const offset = best?.range?.[0];
  if (offset === undefined) return { line: 1 + loc.lineOffset, column: 1 };
  const pos = loc.lines.linePos(offset);
  return { line: pos.line + loc.lineOffset, column: pos.col };
}

const shownPath = (path: Path): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');

/** Why a value is not a parameter type, said plainly (zod's union errors are not). */
function typeProblem(v: unknown, path: Path): { path: Path; key?: string; message: string } | null {
  const keysOf: Record<string, readonly string[]> = {
    string: ['type', 'enum'],
    number: ['type', 'enum'],
    integer: ['type', 'enum'],
    boolean: ['type'],
    array: ['type', 'items'],
    object: ['type', 'properties', 'required'],
  };
  if (!isRecord(v))
    return { path, message: `${shownPath(path)}: a parameter type is a mapping such as { type: string }` };
  const t = v.type;
  const allowed = typeof t === 'string' && Object.hasOwn(keysOf, t) ? keysOf[t] : undefined;
  if (!allowed)
    return {
      path: [...path, 'type'],
      message: `${shownPath([...path, 'type'])}: ${JSON.stringify(t ?? null)} is not a parameter type (string, number, integer, boolean, array or object)`,
    };
  for (const k of Object.keys(v))
    if (!allowed.includes(k))
      return {
        path,
        key: k,
        message: `${shownPath(path)}: unknown key "${k}" in a ${t} type (it has ${allowed.join(', ')})`,
      };
  if (v.enum !== undefined) {
    const e = v.enum;
    const ok =
      Array.isArray(e) &&
      e.length > 0 &&
      e.every((x) =>
        t === 'string' ? typeof x === 'string' : typeof x === 'number' && (t !== 'integer' || Number.isInteger(x)),
      );
    if (!ok)
      return {
        path: [...path, 'enum'],
        message: `${shownPath([...path, 'enum'])}: the enum of a ${t} type is a non-empty list of ${t === 'string' ? 'strings' : t === 'integer' ? 'whole numbers' : 'numbers'}`,
      };
  }
  if (t === 'array')
    return v.items === undefined
      ? { path, message: `${shownPath(path)}: an array type needs items (the type of its elements)` }
      : typeProblem(v.items, [...path, 'items']);
  if (t === 'object') {
    if (!isRecord(v.properties))
      return { path, message: `${shownPath(path)}: an object type needs properties (a mapping of name to type)` };
    for (const [k, sub] of Object.entries(v.properties)) {
      const p = typeProblem(sub, [...path, 'properties', k]);
      if (p) return p;
    }
    if (v.required !== undefined && !(Array.isArray(v.required) && v.required.every((r) => typeof r === 'string')))
      return {
        path: [...path, 'required'],
        message: `${shownPath([...path, 'required'])}: required is a list of property names`,
      };
  }
  return null;
}

/** zod's issues as problems pointing into the file (the first few: one mistake often causes several). */
function zodProblems(file: string, loc: Located | null, issues: readonly z.core.$ZodIssue[], prefix: Path = []) {
  return issues.slice(0, 10).map((issue): FolderProblem => {
    const path = [...prefix, ...(issue.path as (string | number)[])];
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0] as string;
      const where = path.length > 0 ? ` in ${shownPath(path)}` : '';
      return { file, ...positionOf(loc, path, key), message: `unknown key "${key}"${where}` };
    }
    const what = path.length > 0 ? `${shownPath(path)}: ` : '';
    return { file, ...positionOf(loc, path), message: `${what}${issue.message}` };
  });
}

function parseYaml(
  text: string,
  file: string,
  lineOffset: number,
): { loc: Located; value: unknown } | { problem: FolderProblem } {
  const lines = new LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const pos = lines.linePos(error.pos[0]);
    const message = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? 'invalid YAML';
    return { problem: { file, line: pos.line + lineOffset, column: pos.col, message: `invalid YAML: ${message}` } };
  }
  return { loc: { doc, lines, lineOffset }, value: doc.toJS({ maxAliasCount: 100 }) as unknown };
}

const SetFile = z
  .object({
    format: z.literal(SET_FORMAT),
    id: Id,
    projectId: Id,
    name: Name,
    description: z.string().max(4000).default(''),
    version: SemverNumber.nullable().default(null),
    changelog: z.string().max(20_000).default(''),
    dependencies: Dependencies.default({}),
    prompts: z.array(z.string()).max(1000).default([]),
  })
  .strict();
type SetFile = z.infer<typeof SetFile>;

/** Line and column of a JSON.parse error (V8 says `position N`, sometimes also the line and column). */
function jsonErrorPosition(text: string, message: string): { line: number; column: number } | undefined {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const at = /position (\d+)/.exec(message);
  if (!at) return text.trim() === '' ? { line: 1, column: 1 } : undefined;
  const before = text.slice(0, Number(at[1])).split('\n');
  return { line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
}

function readSetFile(text: string, problems: FolderProblem[]): { set: SetFile; loc: Located | null } | null {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    problems.push({
      file: SET_FILE,
      ...jsonErrorPosition(text, message),
      message: `invalid JSON: ${message.replace(/\s*\(line \d+ column \d+\)/, '')}`,
    });
    return null;
  }
  // JSON is YAML: the same text parsed again only to point at the lines of the schema's problems.
  const located = parseYaml(text, SET_FILE, 0);
  const loc = 'loc' in located ? located.loc : null;
  if (isRecord(raw) && raw.format !== undefined && raw.format !== SET_FORMAT) {
    problems.push({
      file: SET_FILE,
      ...positionOf(loc, ['format']),
      message: `format ${JSON.stringify(raw.format)} is not one this Anvil reads ("${SET_FORMAT}")`,
    });
    return null;
  }
  const parsed = SetFile.safeParse(raw);
  if (!parsed.success) {
    problems.push(...zodProblems(SET_FILE, loc, parsed.error.issues));
    return null;
  }
  return { set: parsed.data, loc };
}

const FrontMatter = z
  .object({
    kind: z.enum(['text', 'chat']).optional(),
    id: Id,
    description: z.string().max(4000).optional(),
    parameters: z.array(Parameter).optional(),
    model: ModelSettings.nullable().optional(),
    metadata: z.record(z.string(), z.string()).optional(),
    messages: z.array(ChatItem).max(200).optional(),
  })
  .strict();

const FRONT_KEYS = 'kind, id, description, parameters, model, metadata, messages';

/** One prompt file → its prompt, or problems. `name` was checked already. */
function readPromptFile(file: string, name: string, text: string, problems: FolderProblem[]): Prompt | null {
  const fail = (message: string, line?: number, column?: number): null => {
    problems.push({ file, ...(line === undefined ? {} : { line, column: column ?? 1 }), message });
    return null;
  };
  if (text.charCodeAt(0) === 0xfeff)
    return fail('starts with a byte order mark; prompt files are UTF-8 without one', 1, 1);
  const firstEnd = text.indexOf('\n');
  const first = firstEnd < 0 ? text : text.slice(0, firstEnd);
  if (first !== '---')
    return fail(
      first === '---\r'
        ? 'the front matter starts with "---" and a carriage return: the line endings were changed (keep prompt files byte-exact: see .gitattributes)'
        : 'a prompt file starts with a front-matter block: a line "---", the YAML (id, …), then a line "---"',
      1,
      1,
    );
  // The closing line: the first line that is exactly "---" after the opening one.
  let closeStart = -1;
  let cursor = firstEnd + 1;
  while (cursor <= text.length && firstEnd >= 0) {
    const end = text.indexOf('\n', cursor);
    const lineText = end < 0 ? text.slice(cursor) : text.slice(cursor, end);
    if (lineText === '---') {
      closeStart = cursor;
      break;
    }
    if (end < 0) break;
    cursor = end + 1;
  }
  if (closeStart < 0) return fail('the front matter has no closing line "---"', 1, 1);
  const yamlText = text.slice(firstEnd + 1, closeStart);
  const bodyStart = Math.min(text.length, closeStart + 4);
  const body = text.slice(bodyStart);
  const bodyLine = text.slice(0, bodyStart).split('\n').length;

  const parsed = parseYaml(yamlText, file, 1);
  if ('problem' in parsed) {
    problems.push(parsed.problem);
    return null;
  }
  const { loc, value } = parsed;
  if (!isRecord(value))
    return fail(`the front matter is not a mapping of keys (${FRONT_KEYS}); it needs at least id`, 2, 1);
  for (const [i, p] of (Array.isArray(value.parameters) ? value.parameters : []).entries()) {
    const problem = isRecord(p) && p.type !== undefined ? typeProblem(p.type, ['parameters', i, 'type']) : null;
    if (problem) {
      problems.push({ file, ...positionOf(loc, problem.path, problem.key), message: problem.message });
      return null;
    }
  }
  const front = FrontMatter.safeParse(value);
  if (!front.success) {
    problems.push(
      ...zodProblems(file, loc, front.error.issues).map((p) =>
        p.message.startsWith('unknown key "') && !p.message.includes(' in ')
          ? { ...p, message: `${p.message} (the front matter holds ${FRONT_KEYS})` }
          : p,
      ),
    );
    return null;
  }
  const fm = front.data;
  const kind = fm.kind ?? 'text';
  const base = {
    id: fm.id,
    name,
    description: fm.description ?? '',
    parameters: fm.parameters ?? [],
    model: fm.model ?? null,
    metadata: fm.metadata ?? {},
  };
  let prompt: TextPrompt | ChatPrompt;
  if (kind === 'text') {
    if (fm.messages !== undefined)
      return fail(
        'messages belong to chat prompts: add "kind: chat" or remove them',
        positionOf(loc, ['messages'])?.line,
        positionOf(loc, ['messages'])?.column,
      );
    prompt = { ...base, kind: 'text', template: body };
  } else if (fm.messages !== undefined) {
    if (body !== '')
      return fail(
        'the messages are in the front matter, so nothing may follow it (or write them after markers instead)',
        bodyLine,
        1,
      );
    prompt = { ...base, kind: 'chat', messages: fm.messages };
  } else {
    const messages = readMessages(file, body, bodyLine, problems);
    if (!messages) return null;
    prompt = { ...base, kind: 'chat', messages };
  }
  const checked = Prompt.safeParse(prompt);
  if (!checked.success) {
    // Only the template (its size) and the chat rules are left to find here; point at the body.
    for (const issue of checked.error.issues.slice(0, 5))
      problems.push({
        file,
        line: bodyLine,
        column: 1,
        message: `${shownPath(issue.path as (string | number)[]) || 'prompt'}: ${issue.message}`,
      });
    return null;
  }
  return checked.data;
}

/** The messages after markers (see the module's comment). */
function readMessages(file: string, body: string, firstLine: number, problems: FolderProblem[]): ChatItem[] | null {
  if (body === '') return [];
  const items: ChatItem[] = [];
  let current: { role: 'system' | 'user' | 'assistant'; lines: string[] } | null = null;
  const flush = () => {
    if (current) items.push({ type: 'message', role: current.role, content: current.lines.join('\n') });
    current = null;
  };
  const lines = body.split('\n');
  for (const [i, text] of lines.entries()) {
    const lineNo = firstLine + i;
    const m = MARKER.exec(text);
    if (m) {
      // The newline before a marker belongs to the format, not to the message before it.
      flush();
      const what = m[1] as string;
      if (what.startsWith('history ')) {
        items.push({ type: 'history', name: what.slice('history '.length) });
        const next = lines[i + 1];
        if (next !== undefined && !MARKER.test(next)) {
          problems.push({
            file,
            line: lineNo + 1,
            column: 1,
            message: 'a history placeholder has no text: the line after "--- history … ---" must be the next marker',
          });
          return null;
        }
      } else current = { role: what as 'system' | 'user' | 'assistant', lines: [] };
      continue;
    }
    if (MARKER_LIKE.test(text)) {
      problems.push({
        file,
        line: lineNo,
        column: 1,
        message: text.endsWith('\r')
          ? 'this marker line ends with a carriage return: the line endings were changed (see .gitattributes)'
          : `"${text.trim()}" looks like a message marker but is not one (markers: "--- system ---", "--- user ---", "--- assistant ---", "--- history NAME ---")`,
      });
      return null;
    }
    if (i === 0) {
      problems.push({
        file,
        line: lineNo,
        column: 1,
        message: 'a chat prompt\'s messages start with a marker line such as "--- system ---"',
      });
      return null;
    }
    if (current) (current as { lines: string[] }).lines.push(text);
  }
  flush();
  return items;
}

/**
 * Reads a folder (file name → text; names are relative, no folders). Returns the set's content, version and
 * changelog; throws an `AnvilError` `invalid_folder` whose message is the first problem and whose
 * `details.problems` are all of them (`FolderProblem`: file, line, column, message).
 */
export function fromFolder(input: ReadonlyMap<string, string> | Readonly<Record<string, string>>): FolderRead {
  const files = input instanceof Map ? new Map(input) : new Map(Object.entries(input));
  const problems: FolderProblem[] = [];
  const ignored: string[] = [];

  const setText = files.get(SET_FILE);
  const setRead =
    setText === undefined
      ? (problems.push({
          file: SET_FILE,
          message: `there is no ${SET_FILE}: a set folder has one (anvil export writes it), naming the set, its project, version and prompts`,
        }),
        null)
      : readSetFile(setText, problems);

  const byName = new Map<string, { file: string; prompt: Prompt }>();
  const byId = new Map<string, string>();
  for (const file of [...files.keys()].sort()) {
    if (file === SET_FILE || file === GITATTRIBUTES_FILE) continue;
    if (!file.endsWith(PROMPT_EXTENSION)) {
      ignored.push(file);
      continue;
    }
    const name = file.slice(0, -PROMPT_EXTENSION.length);
    const bad = nameProblem(name) ?? entryNameProblem(name);
    if (bad) {
      problems.push({ file, message: `the file name is not a prompt name (NAME${PROMPT_EXTENSION}): ${bad}` });
      continue;
    }
    const prompt = readPromptFile(file, name, files.get(file) as string, problems);
    if (!prompt) continue;
    const other = byId.get(prompt.id);
    if (other !== undefined) {
      problems.push({
        file,
        line: 2,
        column: 1,
        message: `two files for one prompt: ${other} and ${file} both have id "${prompt.id}" (give the copy a new id)`,
      });
      continue;
    }
    byId.set(prompt.id, file);
    byName.set(name, { file, prompt });
  }

  const prompts: Prompt[] = [];
  if (setRead) {
    const { set, loc } = setRead;
    const listed = new Set<string>();
    set.prompts.forEach((name, i) => {
      const at = positionOf(loc, ['prompts', i]);
      if (listed.has(name)) {
        problems.push({ file: SET_FILE, ...at, message: `prompts[${i}]: "${name}" is listed twice` });
        return;
      }
      listed.add(name);
      const found = byName.get(name);
      if (found) prompts.push(found.prompt);
      else if (![...files.keys()].includes(promptFileName(name)))
        problems.push({
          file: SET_FILE,
          ...at,
          message: `prompts[${i}]: there is no file ${promptFileName(name)} for prompt "${name}"`,
        });
    });
    // Prompt files the set file does not list yet (a person added one): after the listed ones, by name.
    for (const [name, { prompt }] of [...byName].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      if (!listed.has(name)) prompts.push(prompt);
  }

  if (problems.length === 0 && setRead) {
    const { set } = setRead;
    const content = {
      id: set.id,
      projectId: set.projectId,
      name: set.name,
      description: set.description,
      dependencies: set.dependencies,
      prompts,
    };
    const checked = PromptSetContent.safeParse(content);
    if (checked.success) return { content: checked.data, version: set.version, changelog: set.changelog, ignored };
    for (const issue of checked.error.issues.slice(0, 10)) {
      const [first, index] = issue.path;
      const prompt = first === 'prompts' && typeof index === 'number' ? prompts[index] : undefined;
      problems.push(
        prompt
          ? { file: promptFileName(prompt.name), message: issue.message }
          : { file: SET_FILE, ...positionOf(setRead.loc, issue.path as Path), message: issue.message },
      );
    }
  }
  throw folderError(problems);
}

function folderError(problems: FolderProblem[]): AnvilError {
  const first = problems[0] as FolderProblem;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  return new AnvilError({
    code: 'invalid_folder',
    message: `${formatFolderProblem(first)}${more}`,
    path: first.file,
    ...(first.line === undefined ? {} : { line: first.line, column: first.column ?? 1 }),
    details: { problems },
  });
}

/** Files `toFolder` would write differently (or add, or not write) for what the folder holds: empty = canonical. */
export function nonCanonicalFiles(files: ReadonlyMap<string, string>, read: FolderSet): string[] {
  const canonical = toFolder(read.content, { version: read.version, changelog: read.changelog });
  const out: string[] = [];
  for (const [name, text] of canonical) if (files.get(name) !== text) out.push(name);
  for (const name of files.keys())
    if ((name === SET_FILE || name.endsWith(PROMPT_EXTENSION)) && !canonical.has(name)) out.push(name);
  return out.sort();
}
