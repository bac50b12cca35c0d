import semver from 'semver';
import { canonicalJson } from '../domain/hash';
import { nameProblem } from '../domain/names';
import type { Parameter, ParamType } from '../domain/parameter';
import type { Prompt } from '../domain/prompt';
import { PromptSetContent } from '../domain/prompt-set';
import { AnvilError } from '../domain/result';
import type { ChangeClass } from '../domain/version';
import { whyInvalid } from '../semver/versions';
import { integrityOf, isIntegrity, sameIntegrity } from './integrity';
import { entryNameProblem, entryNamesProblems } from './names';
import { BundleDocumentSchema, jsonPath } from './schema';
import { BUNDLE_FORMAT, BUNDLE_LIMITS } from './types';
import type { Bundle, BundleDocument, BundleEntry, BundlePrompt, PublishProblem } from './types';

/** What a bundle is built from: a team version's frozen content and the record the studio saved with it. */
export interface BundleInput {
  content: PromptSetContent;
  projectName: string;
  version: string;
  author: string;
  createdAt: string;
  changelog: string;
  changeClass: ChangeClass;
  override: string | null;
  contentHash: string;
}

/** How deep a bundle's JSON may nest; parameter types are the only recursion and stay far below it. */
export const MAX_BUNDLE_DEPTH = 64;

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function typeSchema(t: ParamType): Record<string, unknown> {
  switch (t.type) {
    case 'array':
      return { type: 'array', items: typeSchema(t.items) };
    case 'object': {
      const properties: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(t.properties)) properties[k] = typeSchema(v);
      // Values are checked strictly (`validateParameters` refuses undeclared keys), so the schema says so too.
      const out: Record<string, unknown> = { type: 'object', properties, additionalProperties: false };
      if (t.required && t.required.length > 0) out.required = [...t.required];
      return out;
    }
    case 'boolean':
      return { type: 'boolean' };
    default:
      return t.enum ? { type: t.type, enum: [...t.enum] } : { type: t.type };
  }
}

/**
 * A prompt's parameters as one JSON Schema object, for consumers in other languages: each parameter a property
 * with its type, description and default, the required ones listed, and nothing undeclared accepted.
 */
export function parametersSchema(parameters: readonly Parameter[]): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  const required: string[] = [];
  for (const p of parameters) {
    const prop = typeSchema(p.type);
    if (p.description) prop.description = p.description;
    if (p.default !== undefined) prop.default = p.default;
    properties[p.name] = prop;
    if (p.required) required.push(p.name);
  }
  return { type: 'object', properties, required, additionalProperties: false };
}

const invalid = (message: string, path?: string, details?: unknown): AnvilError =>
  new AnvilError({ code: 'invalid_bundle', message, ...(path ? { path } : {}), ...(details ? { details } : {}) });

const tooLarge = (message: string, details: unknown): AnvilError =>
  new AnvilError({ code: 'too_large', message, details });

/** Several problems as one error: the first one's words, the count of the rest, all of them in `details`. */
function fromProblems(label: string, problems: PublishProblem[]): AnvilError {
  const first = problems[0] as PublishProblem;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  return new AnvilError({
    code: first.code,
    message: `${label}: ${first.message}${more}`,
    ...(first.prompt !== undefined ? { path: first.prompt } : {}),
    details: { problems },
  });
}

function promptEntry(p: Prompt): BundleEntry {
  return p.kind === 'text' ? { kind: 'text', template: p.template } : { kind: 'chat', messages: p.messages };
}

function promptManifest(p: Prompt): BundlePrompt {
  return {
    id: p.id,
    name: p.name,
    kind: p.kind,
    description: p.description,
    parameters: p.parameters,
    schema: parametersSchema(p.parameters),
    model: p.model,
    metadata: p.metadata,
    entry: p.name,
  };
}

function limitsProblem(prompts: number, dependencies: number): AnvilError | null {
  if (prompts > BUNDLE_LIMITS.maxPrompts)
    return tooLarge(`the set has ${prompts} prompts; a bundle holds at most ${BUNDLE_LIMITS.maxPrompts}`, {
      limit: 'maxPrompts',
      max: BUNDLE_LIMITS.maxPrompts,
      actual: prompts,
    });
  if (dependencies > BUNDLE_LIMITS.maxDependencies)
    return tooLarge(
      `the set has ${dependencies} dependencies; a bundle declares at most ${BUNDLE_LIMITS.maxDependencies}`,
      { limit: 'maxDependencies', max: BUNDLE_LIMITS.maxDependencies, actual: dependencies },
    );
  return null;
}

/**
 * Builds the one canonical JSON document of a version. The same input gives the same bytes whatever order its
 * keys were written in, so the studio and `anvil push` publish byte-identical bundles. The result is read back
 * through `readBundle`, so nothing is published that a consumer would refuse.
 */
export async function buildBundle(input: BundleInput): Promise<Bundle> {
  const raw = input.content as Partial<PromptSetContent> | undefined;
  const limit = limitsProblem(
    Array.isArray(raw?.prompts) ? raw.prompts.length : 0,
    raw?.dependencies && typeof raw.dependencies === 'object' ? Object.keys(raw.dependencies).length : 0,
  );
  if (limit) throw limit;
  const parsed = PromptSetContent.safeParse(input.content);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = jsonPath(issue?.path ?? []);
    throw invalid(`the set's content is invalid at ${at}: ${issue?.message ?? 'unknown problem'}`, at, {
      issues: parsed.error.issues.slice(0, 20).map((i) => ({ path: jsonPath(i.path), message: i.message })),
    });
  }
  const content = parsed.data;
  if (semver.valid(input.version) !== input.version)
    throw new AnvilError({ code: 'invalid_version', message: whyInvalid(input.version) });
  const projectProblem = nameProblem(input.projectName);
  if (projectProblem) throw invalid(`the project name cannot name a package: ${projectProblem}`, 'projectName');
  const names = entryNamesProblems(content.prompts.map((p) => p.name));
  if (names.length > 0) throw fromProblems(`set ${content.name}`, names);

  const entries: Record<string, BundleEntry> = {};
  for (const p of content.prompts) entries[p.name] = promptEntry(p);
  const document: BundleDocument = {
    format: BUNDLE_FORMAT,
    manifest: {
      name: `@${input.projectName}/${content.name}`,
      version: input.version,
      project: { id: content.projectId, name: input.projectName },
      set: { id: content.id, name: content.name, description: content.description },
      dependencies: content.dependencies,
      author: input.author,
      createdAt: input.createdAt,
      changelog: input.changelog,
      changeClass: input.changeClass,
      override: input.override,
      contentHash: input.contentHash,
      prompts: content.prompts.map(promptManifest),
    },
    entries,
  };
  return readBundle(new TextEncoder().encode(canonicalJson(document)));
}

function depthExceeds(value: unknown, max: number): boolean {
  // Iterative: a hostile document nested a million levels deep must not overflow the stack on the way.
  const stack: [unknown, number][] = [[value, 1]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [v, depth] = top;
    if (depth > max) return true;
    for (const child of Object.values(v as object))
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

function firstDifference(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** Size, text, JSON, canonical form, format and limits: everything checked before the schema runs. */
function parseRaw(bytes: Uint8Array, label: string): Record<string, unknown> {
  if (bytes.length > BUNDLE_LIMITS.maxBundleBytes)
    throw tooLarge(`${label} is ${bytes.length} bytes; a bundle holds at most ${BUNDLE_LIMITS.maxBundleBytes}`, {
      limit: 'maxBundleBytes',
      max: BUNDLE_LIMITS.maxBundleBytes,
      actual: bytes.length,
    });
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    throw invalid(`${label} starts with a byte order mark; bundles are UTF-8 without one`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw invalid(`${label} is not UTF-8 text`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw invalid(`${label} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (raw !== null && typeof raw === 'object' && depthExceeds(raw, MAX_BUNDLE_DEPTH))
    throw invalid(`${label} nests deeper than ${MAX_BUNDLE_DEPTH} levels`);
  // One document, one spelling: duplicate keys (which parsers resolve differently), whitespace or unsorted
  // keys mean it was not written by `buildBundle`, and its integrity would not be the published one.
  const canonical = canonicalJson(raw);
  if (canonical !== text)
    throw invalid(
      `${label} is not canonical JSON (keys sorted, each once, no whitespace): it departs from the canonical form at character ${firstDifference(canonical, text) + 1}`,
    );
  if (!isRecord(raw)) throw invalid(`${label} is not a JSON object`);
  if (raw.format !== BUNDLE_FORMAT)
    throw invalid(
      raw.format === undefined
        ? `${label} has no "format"; a bundle says "${BUNDLE_FORMAT}"`
        : `${label} has format ${JSON.stringify(raw.format)}; this reader reads "${BUNDLE_FORMAT}"`,
      'format',
    );
  const manifest = isRecord(raw.manifest) ? raw.manifest : {};
  const prompts = Array.isArray(manifest.prompts) ? manifest.prompts.length : 0;
  const entries = isRecord(raw.entries) ? Object.keys(raw.entries).length : 0;
  const deps = isRecord(manifest.dependencies) ? Object.keys(manifest.dependencies).length : 0;
  const limit = limitsProblem(Math.max(prompts, entries), deps);
  if (limit) throw new AnvilError({ ...limit.toJSON(), message: `${label}: ${limit.message}` });
  const manifestBytes = new TextEncoder().encode(canonicalJson(raw.manifest ?? null)).length;
  if (manifestBytes > BUNDLE_LIMITS.maxManifestBytes)
    throw tooLarge(
      `${label}: the manifest is ${manifestBytes} bytes; a manifest holds at most ${BUNDLE_LIMITS.maxManifestBytes}`,
      { limit: 'maxManifestBytes', max: BUNDLE_LIMITS.maxManifestBytes, actual: manifestBytes },
    );
  return raw;
}

/** Entry names, from the raw JSON, before the schema: a hostile name is refused as such, whatever else is wrong. */
function rawEntryNameProblems(raw: Record<string, unknown>): PublishProblem[] {
  const keys = isRecord(raw.entries) ? Object.keys(raw.entries) : [];
  const problems = entryNamesProblems(keys).map((p) => ({ ...p, message: `entries: ${p.message}` }));
  const keySet = new Set(keys);
  const prompts = isRecord(raw.manifest) && Array.isArray(raw.manifest.prompts) ? raw.manifest.prompts : [];
  prompts.forEach((p: unknown, i) => {
    const entry = isRecord(p) ? p.entry : undefined;
    if (typeof entry !== 'string' || keySet.has(entry)) return;
    const message = entryNameProblem(entry);
    if (message)
      problems.push({ code: 'invalid_entry_name', message: `manifest.prompts[${i}].entry: ${message}`, prompt: entry });
  });
  return problems;
}

/** Manifest and entries must describe each other exactly: no prompt without its templates, no stray entry. */
function agreementProblems(doc: BundleDocument): PublishProblem[] {
  const problems: PublishProblem[] = [];
  const add = (message: string, prompt?: string): void => {
    problems.push({ code: 'invalid_bundle', message, ...(prompt !== undefined ? { prompt } : {}) });
  };
  const names = new Set<string>();
  const used = new Map<string, string>();
  doc.manifest.prompts.forEach((p, i) => {
    const at = `manifest.prompts[${i}]`;
    if (names.has(p.name)) add(`${at}: two prompts are named "${p.name}"`, p.name);
    names.add(p.name);
    const other = used.get(p.entry);
    if (other !== undefined) add(`${at}: prompts "${other}" and "${p.name}" share the entry "${p.entry}"`, p.name);
    used.set(p.entry, p.name);
    if (!hasOwn(doc.entries, p.entry)) {
      add(`${at}.entry: prompt "${p.name}" names the entry "${p.entry}", which the bundle does not have`, p.name);
      return;
    }
    const entry = doc.entries[p.entry] as BundleEntry;
    if (entry.kind !== p.kind)
      add(
        `entries.${p.entry}: prompt "${p.name}" is a ${p.kind} prompt, but its entry holds a ${entry.kind} prompt's templates`,
        p.name,
      );
    if (canonicalJson(p.schema) !== canonicalJson(parametersSchema(p.parameters)))
      add(`${at}.schema: the JSON Schema of prompt "${p.name}" does not match its parameters`, p.name);
  });
  for (const key of Object.keys(doc.entries))
    if (!used.has(key)) add(`entries.${key}: no prompt of the manifest names this entry`);
  return problems;
}

/**
 * Parses and validates untrusted bytes (size, JSON, schema, format, entry names, manifest/entries agree); with
 * `expected.integrity` checks it first. AnvilError codes: integrity_mismatch, too_large, invalid_bundle,
 * invalid_entry_name; the message names the problem and where (entry, JSON path), `details` has them all.
 */
export async function readBundle(
  bytes: Uint8Array,
  expected: { integrity?: string; name?: string; version?: string } = {},
): Promise<Bundle> {
  const label =
    expected.name !== undefined
      ? `bundle ${expected.name}${expected.version !== undefined ? `@${expected.version}` : ''}`
      : 'the bundle';
  if (expected.integrity !== undefined) {
    const integrity = await integrityOf(bytes);
    if (!sameIntegrity(expected.integrity, integrity))
      throw new AnvilError({
        code: 'integrity_mismatch',
        message: isIntegrity(expected.integrity)
          ? `${label}: its bytes do not match their integrity (expected ${expected.integrity}, got ${integrity}); it was altered or truncated`
          : `${label}: the expected integrity ${JSON.stringify(expected.integrity)} is not an sha512 integrity string, so the bytes cannot be verified`,
        details: { expected: expected.integrity, actual: integrity },
      });
    return { bytes, integrity, document: validate(bytes, label, expected) };
  }
  const document = validate(bytes, label, expected);
  return { bytes, integrity: await integrityOf(bytes), document };
}

function validate(bytes: Uint8Array, label: string, expected: { name?: string; version?: string }): BundleDocument {
  const raw = parseRaw(bytes, label);
  const names = rawEntryNameProblems(raw);
  if (names.length > 0) throw fromProblems(label, names);
  const parsed = BundleDocumentSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 20).map((i) => ({ path: jsonPath(i.path), message: i.message }));
    const first = issues[0] ?? { path: '(the document)', message: 'invalid' };
    const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more problems)` : '';
    throw invalid(`${label} is invalid at ${first.path}: ${first.message}${more}`, first.path, { issues });
  }
  const document = parsed.data as BundleDocument;
  const agreement = agreementProblems(document);
  if (agreement.length > 0) throw fromProblems(label, agreement);
  const { name, version } = document.manifest;
  if (expected.name !== undefined && name !== expected.name)
    throw invalid(`${label} holds ${name}@${version}, not ${expected.name}`, 'manifest.name', { name, version });
  if (expected.version !== undefined && version !== expected.version)
    throw invalid(`${label} holds ${name}@${version}, not version ${expected.version}`, 'manifest.version', {
      name,
      version,
    });
  return document;
}

/** The bundle as the studio's PromptSetContent (for comparison views and the SDK). */
export function bundleContent(doc: BundleDocument): PromptSetContent {
  const m = doc.manifest;
  const prompts = m.prompts.map((p): Prompt => {
    const entry = hasOwn(doc.entries, p.entry) ? doc.entries[p.entry] : undefined;
    if (!entry || entry.kind !== p.kind)
      throw invalid(`prompt "${p.name}" has no ${p.kind} entry "${p.entry}" in the bundle`, p.name);
    const base = {
      id: p.id,
      name: p.name,
      description: p.description,
      parameters: p.parameters,
      model: p.model,
      metadata: p.metadata,
    };
    return entry.kind === 'text'
      ? { ...base, kind: 'text', template: entry.template }
      : { ...base, kind: 'chat', messages: entry.messages };
  });
  const content: PromptSetContent = {
    id: m.set.id,
    projectId: m.project.id,
    name: m.set.name,
    description: m.set.description,
    dependencies: m.dependencies,
    prompts,
  };
  // A copy: callers may edit what they get (the comparison view does) without touching the read document.
  return JSON.parse(JSON.stringify(content)) as PromptSetContent;
}
