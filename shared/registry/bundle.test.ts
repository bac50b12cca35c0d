import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson } from '../domain/hash';
import { AnvilError } from '../domain/result';
import { sampleContent, sampleInput } from './fixtures';
import { BUNDLE_FORMAT, BUNDLE_LIMITS, buildBundle, bundleContent, parametersSchema, readBundle } from './index';
import type { BundleDocument } from './index';
import type { ChatPrompt, TextPrompt } from '../domain/prompt';

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('fixture: missing value');
  return value;
}

const encode = (s: string): Uint8Array => new TextEncoder().encode(s);
const decode = (b: Uint8Array): string => new TextDecoder().decode(b);

/** The same value with every object's keys in reverse order. */
function reverseKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reverseKeys) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).reverse()) out[k] = reverseKeys((value as Record<string, unknown>)[k]);
    return out as T;
  }
  return value;
}

async function sampleDoc(): Promise<BundleDocument> {
  return JSON.parse(decode((await buildBundle(sampleInput())).bytes)) as BundleDocument;
}

/** A built bundle changed by `edit`, re-serialised canonically (so only the edit is wrong with it). */
async function edited(edit: (doc: BundleDocument & Record<string, unknown>) => void): Promise<Uint8Array> {
  const doc = (await sampleDoc()) as BundleDocument & Record<string, unknown>;
  edit(doc);
  return encode(canonicalJson(doc));
}

async function refusal(promise: Promise<unknown>): Promise<AnvilError> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(AnvilError);
    return e as AnvilError;
  }
  throw new Error('expected the bundle to be refused');
}

/** Renames the entry of prompt `greet` (the manifest follows), so only the name is wrong. */
const withEntryName = (name: string): Promise<Uint8Array> =>
  edited((doc) => {
    const greet = doc.manifest.prompts[0];
    if (!greet) throw new Error('fixture');
    const { greet: entry, ...rest } = doc.entries;
    doc.entries = { ...rest, [name]: entry as BundleDocument['entries'][string] };
    greet.entry = name;
  });

describe('buildBundle', () => {
  it('gives byte-identical bytes and integrity whatever key order the input had', async () => {
    const a = await buildBundle(sampleInput());
    const b = await buildBundle(reverseKeys(sampleInput()));
    expect(canonicalJson(Object.keys(reverseKeys(sampleInput()).content))).not.toBe(
      canonicalJson(Object.keys(sampleInput().content)),
    );
    expect(decode(b.bytes)).toBe(decode(a.bytes));
    expect(b.bytes).toEqual(a.bytes);
    expect(b.integrity).toBe(a.integrity);
    expect(a.integrity).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
  });

  it('gives the same bytes on every call (property over prompt texts and parameter orders)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40 }), fc.boolean(), async (text, reverse) => {
        const content = sampleContent();
        content.prompts[1] = { ...(content.prompts[1] as TextPrompt), template: text.replace(/[{%}]/g, '') };
        const input = sampleInput({ content });
        const one = await buildBundle(input);
        const two = await buildBundle(reverse ? reverseKeys(input) : structuredClone(input));
        expect(two.integrity).toBe(one.integrity);
      }),
      { numRuns: 25 },
    );
  });

  it('writes canonical UTF-8 JSON whose integrity is sha512 of exactly those bytes', async () => {
    const content = sampleContent();
    content.prompts[1] = { ...(content.prompts[1] as TextPrompt), template: 'Grüße, 日本語 🎉' };
    const bundle = await buildBundle(sampleInput({ content }));
    const text = decode(bundle.bytes);
    expect(text).toBe(canonicalJson(JSON.parse(text)));
    expect(text).toContain('Grüße, 日本語 🎉');
    expect(bundle.bytes[0]).toBe(0x7b);
    expect(bundle.integrity).toBe(`sha512-${createHash('sha512').update(bundle.bytes).digest('base64')}`);
  });

  it('writes the manifest: name, version, project, set, dependencies, author, time, changelog, prompts', async () => {
    const { document } = await buildBundle(sampleInput({ override: 'renamed on purpose', changeClass: 'major' }));
    expect(document.format).toBe(BUNDLE_FORMAT);
    const { prompts, ...rest } = document.manifest;
    expect(rest).toEqual({
      name: '@acme/support',
      version: '1.0.0',
      project: { id: 'proj-acme', name: 'acme' },
      set: { id: 'set-support', name: 'support', description: 'Support prompts' },
      dependencies: { '@acme/common': '^1.0.0' },
      author: 'ada',
      createdAt: '2026-03-01T10:00:00.000Z',
      changelog: 'First version',
      changeClass: 'major',
      override: 'renamed on purpose',
      contentHash: `sha256-${'ab'.repeat(32)}`,
    });
    expect(prompts.map((p) => [p.name, p.kind, p.entry])).toEqual([
      ['greet', 'text', 'greet'],
      ['footer', 'text', 'footer'],
      ['triage', 'chat', 'triage'],
    ]);
    expect(prompts[0]?.schema).toEqual(parametersSchema(sampleContent().prompts[0]?.parameters ?? []));
    expect(document.entries.triage).toEqual({
      kind: 'chat',
      messages: (sampleContent().prompts[2] as ChatPrompt).messages,
    });
  });

  it('gives different bytes for different content or metadata', async () => {
    const a = await buildBundle(sampleInput());
    const b = await buildBundle(sampleInput({ changelog: 'First version.' }));
    expect(b.integrity).not.toBe(a.integrity);
  });

  it('refuses content that is not a valid set, naming where', async () => {
    const content = sampleContent();
    content.prompts[1] = { ...(content.prompts[1] as TextPrompt), name: 'Bad Name' };
    const err = await refusal(buildBundle(sampleInput({ content })));
    expect(err.code).toBe('invalid_bundle');
    expect(err.message).toMatch(/at prompts\[1\]\.name: "Bad Name" has capital letters/);
  });

  it('refuses a version that is not strict semver, with the semver wording', async () => {
    for (const [version, why] of [
      ['1.2', /three numbers/],
      ['01.0.0', /leading zeros/],
      ['v1.0.0', /without the leading "v"/],
    ] as const) {
      const err = await refusal(buildBundle(sampleInput({ version })));
      expect(err.code).toBe('invalid_version');
      expect(err.message).toMatch(why);
    }
  });

  it('refuses a project name that cannot name a package', async () => {
    const err = await refusal(buildBundle(sampleInput({ projectName: 'Acme Corp' })));
    expect(err.code).toBe('invalid_bundle');
    expect(err.message).toMatch(/project name/);
  });

  it('refuses more prompts or dependencies than the limits allow', async () => {
    const many = Array.from({ length: BUNDLE_LIMITS.maxPrompts + 1 }, (_, i) => ({
      ...(sampleContent().prompts[1] as object),
      id: `p${i}`,
      name: `p${i}`,
    }));
    const err = await refusal(buildBundle(sampleInput({ content: sampleContent({ prompts: many as never }) })));
    expect(err.code).toBe('too_large');
    expect(err.message).toMatch(/1001 prompts; a bundle holds at most 1000/);

    const deps = Object.fromEntries(
      Array.from({ length: BUNDLE_LIMITS.maxDependencies + 1 }, (_, i) => [`@acme/d${i}`, '^1.0.0']),
    );
    const err2 = await refusal(buildBundle(sampleInput({ content: sampleContent({ dependencies: deps }) })));
    expect(err2.code).toBe('too_large');
    expect(err2.message).toMatch(/101 dependencies/);
  });
});

describe('readBundle', () => {
  it('round-trips what buildBundle wrote', async () => {
    const built = await buildBundle(sampleInput());
    const read = await readBundle(built.bytes.slice(), {
      integrity: built.integrity,
      name: '@acme/support',
      version: '1.0.0',
    });
    expect(read.integrity).toBe(built.integrity);
    expect(read.document).toEqual(built.document);
    expect(canonicalJson(read.document)).toBe(decode(built.bytes));
  });

  describe('integrity', () => {
    it('refuses bytes altered after publishing (integrity_mismatch), naming both digests', async () => {
      const built = await buildBundle(sampleInput());
      const altered = encode(decode(built.bytes).replace('Hello', 'Jello'));
      // Still a perfectly valid bundle: only the integrity can tell.
      await expect(readBundle(altered)).resolves.toBeDefined();
      const err = await refusal(readBundle(altered, { integrity: built.integrity, name: '@acme/support' }));
      expect(err.code).toBe('integrity_mismatch');
      expect(err.message).toContain(built.integrity);
      expect(err.message).toContain(await (await readBundle(altered)).integrity);
      expect(err.message).toMatch(/^bundle @acme\/support: its bytes do not match their integrity/);
    });

    it('refuses truncated bytes before reading them', async () => {
      const built = await buildBundle(sampleInput());
      const err = await refusal(readBundle(built.bytes.slice(0, -10), { integrity: built.integrity }));
      expect(err.code).toBe('integrity_mismatch');
    });

    it('refuses to verify against a malformed expectation rather than pass', async () => {
      const built = await buildBundle(sampleInput());
      const err = await refusal(readBundle(built.bytes, { integrity: 'sha1-abc' }));
      expect(err.code).toBe('integrity_mismatch');
      expect(err.message).toMatch(/not an sha512 integrity string/);
    });
  });

  describe('limits (too_large)', () => {
    it('refuses more bytes than a bundle holds, before parsing them', async () => {
      const big = new Uint8Array(BUNDLE_LIMITS.maxBundleBytes + 1).fill(0x20);
      const err = await refusal(readBundle(big));
      expect(err.code).toBe('too_large');
      expect(err.message).toMatch(/8388609 bytes; a bundle holds at most 8388608/);
    });

    it('refuses more prompts, entries or dependencies than allowed', async () => {
      const prompts = await edited((doc) => {
        doc.manifest.prompts = Array.from({ length: BUNDLE_LIMITS.maxPrompts + 1 }, () =>
          must(doc.manifest.prompts[0]),
        );
      });
      expect((await refusal(readBundle(prompts))).code).toBe('too_large');
      const entries = await edited((doc) => {
        for (let i = 0; i <= BUNDLE_LIMITS.maxPrompts; i++) doc.entries[`e${i}`] = { kind: 'text', template: '' };
      });
      expect((await refusal(readBundle(entries))).message).toMatch(/prompts; a bundle holds at most 1000/);
      const deps = await edited((doc) => {
        for (let i = 0; i <= BUNDLE_LIMITS.maxDependencies; i++) doc.manifest.dependencies[`@acme/d${i}`] = '1';
      });
      const err = await refusal(readBundle(deps));
      expect(err.code).toBe('too_large');
      expect(err.message).toMatch(/dependencies; a bundle declares at most 100/);
    });

    it('refuses a manifest larger than allowed', async () => {
      const bytes = await edited((doc) => {
        doc.manifest.changelog = 'x'.repeat(BUNDLE_LIMITS.maxManifestBytes);
      });
      const err = await refusal(readBundle(bytes));
      expect(err.code).toBe('too_large');
      expect(err.message).toMatch(/the manifest is \d+ bytes; a manifest holds at most /);
      expect(err.message).toContain(`at most ${BUNDLE_LIMITS.maxManifestBytes}`);
    });
  });

  describe('format (invalid_bundle)', () => {
    it.each([
      ['not JSON', encode('{"format":'), /is not JSON/],
      ['not UTF-8', new Uint8Array([0x7b, 0xff, 0x7d]), /not UTF-8/],
      ['an array', encode('[]'), /not a JSON object/],
      ['a string', encode('"anvil-bundle@1"'), /not a JSON object/],
      ['null', encode('null'), /not a JSON object/],
      ['empty', new Uint8Array(), /not JSON/],
    ])('refuses %s', async (_, bytes, message) => {
      const err = await refusal(readBundle(bytes));
      expect(err.code).toBe('invalid_bundle');
      expect(err.message).toMatch(message);
    });

    it('refuses a byte order mark, whitespace, unsorted or duplicate keys (one spelling per document)', async () => {
      const text = decode((await buildBundle(sampleInput())).bytes);
      const doc = JSON.parse(text) as Record<string, unknown>;
      const variants = [
        new Uint8Array([0xef, 0xbb, 0xbf, ...encode(text)]),
        encode(JSON.stringify(doc, null, 2)),
        encode(`${text}\n`),
        encode(JSON.stringify(reverseKeys(doc))),
        encode(text.replace('{"entries":', '{"entries":{},"entries":')),
      ];
      for (const bytes of variants) {
        const err = await refusal(readBundle(bytes));
        expect(err.code).toBe('invalid_bundle');
        expect(err.message).toMatch(/byte order mark|not canonical JSON .* at character \d+/);
      }
    });

    it('refuses another format, or none', async () => {
      const other = await edited((doc) => {
        (doc as Record<string, unknown>).format = 'anvil-bundle@2';
      });
      const err = await refusal(readBundle(other));
      expect(err.message).toMatch(/has format "anvil-bundle@2"; this reader reads "anvil-bundle@1"/);
      expect(err.path).toBe('format');
      const none = await edited((doc) => {
        delete (doc as Record<string, unknown>).format;
      });
      expect((await refusal(readBundle(none))).message).toMatch(/has no "format"/);
    });

    it('refuses schema violations, naming the JSON path', async () => {
      const cases: [(doc: BundleDocument & Record<string, unknown>) => void, RegExp, string][] = [
        [(d) => void (must(d.manifest.prompts[1]).name = 'Bad'), /has capital letters/, 'manifest.prompts[1].name'],
        [(d) => void (d.manifest.version = '1.2'), /not a semantic version/, 'manifest.version'],
        [(d) => void ((d.manifest as unknown as Record<string, unknown>).extra = 1), /extra/, 'manifest'],
        [(d) => void delete (d.manifest as Partial<BundleDocument['manifest']>).author, /string/, 'manifest.author'],
        [(d) => void (d.manifest.contentHash = 'md5-x'), /content hash/, 'manifest.contentHash'],
        [(d) => void (d.manifest.createdAt = 'yesterday'), /datetime/i, 'manifest.createdAt'],
        [
          (d) => void (d.manifest.dependencies['@acme/x'] = 'not a range!'),
          /valid semver range/,
          'manifest.dependencies["@acme/x"]',
        ],
        [
          (d) => void (d.manifest.name = '@acme/other'),
          /its project and set make it "@acme\/support"/,
          'manifest.name',
        ],
        [(d) => void ((d.entries.greet as { template: unknown }).template = 42), /string/, 'entries.greet.template'],
        [
          (d) =>
            void (d.entries.triage = {
              kind: 'chat',
              messages: [{ type: 'message', role: 'robot', content: '' }],
            } as never),
          /role|robot|expected/i,
          'entries.triage.messages[0].role',
        ],
      ];
      for (const [edit, message, path] of cases) {
        const err = await refusal(readBundle(await edited(edit)));
        expect(err.code).toBe('invalid_bundle');
        expect(err.path).toBe(path);
        expect(err.message).toContain(`is invalid at ${path}: `);
        expect(err.message).toMatch(message);
      }
    });

    it('reports every schema problem in details, not just the first', async () => {
      const bytes = await edited((d) => {
        d.manifest.version = '1.2';
        must(d.manifest.prompts[0]).name = 'X';
      });
      const err = await refusal(readBundle(bytes));
      expect(err.message).toMatch(/and 1 more problem/);
      expect((err.details as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual([
        'manifest.version',
        'manifest.prompts[0].name',
      ]);
    });

    it('refuses JSON nested deeper than a bundle ever is, without overflowing the stack', async () => {
      const deep = encode(`${'['.repeat(200_000)}${']'.repeat(200_000)}`);
      const err = await refusal(readBundle(deep));
      expect(err.code).toBe('invalid_bundle');
      expect(err.message).toMatch(/nests deeper than 64 levels/);
    });

    it('refuses a __proto__ key without touching any prototype', async () => {
      const text = decode((await buildBundle(sampleInput())).bytes).replace(
        '"entries":{',
        '"entries":{"__proto__":{"kind":"text","template":"x"},',
      );
      const err = await refusal(readBundle(encode(text)));
      expect(err.code).toBe('invalid_bundle');
      expect(({} as Record<string, unknown>).kind).toBeUndefined();
    });
  });

  describe('entry names (invalid_entry_name)', () => {
    it.each([
      ['..', /contains "\.\."/],
      ['../../etc/passwd', /contains "\.\."/],
      ['/x', /absolute path/],
      ['C:\\x', /absolute path/],
      ['a\\b', /path separator/],
      ['a/b', /path separator/],
      ['gr\u0000eet', /NUL/],
      ['gr\neet', /control character/],
      ['gr\u0435et', /U\+0435/],
      ['\uff47reet', /U\+FF47\) \(it reads as "g"\)/],
    ])('refuses an entry named %j, naming it', async (name, message) => {
      const err = await refusal(readBundle(await withEntryName(name)));
      expect(err.code).toBe('invalid_entry_name');
      expect(err.message).toMatch(message);
      expect(err.message).toMatch(/^the bundle: entries: entry name /);
      expect(err.path).toBe(name);
    });

    it('accepts an entry key that differs from its prompt name when it is a plain name', async () => {
      await expect(readBundle(await withEntryName('greeting'))).resolves.toBeDefined();
    });

    it('refuses entry names that differ only by case or NFKC form', async () => {
      const byCase = await edited((d) => {
        const footer = must(d.entries.footer);
        delete d.entries.footer;
        d.entries.Greet = footer;
        must(d.manifest.prompts[1]).entry = 'Greet';
      });
      const err = await refusal(readBundle(byCase));
      expect(err.code).toBe('invalid_entry_name');
      expect(err.message).toMatch(/"greet" and "Greet" differ only by case|"Greet" and "greet" differ only by case/);

      const byNfkc = await edited((d) => {
        const [greet, footer] = [must(d.entries.greet), must(d.entries.footer)];
        d.entries = { triage: must(d.entries.triage), file: greet, '\ufb01le': footer };
        must(d.manifest.prompts[0]).entry = 'file';
        must(d.manifest.prompts[1]).entry = '\ufb01le';
      });
      const err2 = await refusal(readBundle(byNfkc));
      expect(err2.code).toBe('invalid_entry_name');
      const messages = (err2.details as { problems: { message: string }[] }).problems.map((p) => p.message);
      expect(messages.some((m) => /the same name once normalised \(NFKC\)/.test(m))).toBe(true);
    });

    it('refuses a hostile name in a manifest prompt even when no entry has it', async () => {
      const bytes = await edited((d) => {
        must(d.manifest.prompts[0]).entry = '../greet';
      });
      const err = await refusal(readBundle(bytes));
      expect(err.code).toBe('invalid_entry_name');
      expect(err.message).toMatch(/manifest\.prompts\[0\]\.entry: entry name "\.\.\/greet"/);
    });
  });

  describe('manifest and entries agree (invalid_bundle)', () => {
    it('refuses a prompt whose entry is missing', async () => {
      const bytes = await edited((d) => {
        delete d.entries.footer;
      });
      const err = await refusal(readBundle(bytes));
      expect(err.code).toBe('invalid_bundle');
      expect(err.message).toMatch(
        /manifest\.prompts\[1\]\.entry: prompt "footer" names the entry "footer", which the bundle does not have/,
      );
    });

    it('refuses an entry no prompt names', async () => {
      const bytes = await edited((d) => {
        d.entries.stray = { kind: 'text', template: 'hidden' };
      });
      const err = await refusal(readBundle(bytes));
      expect(err.message).toMatch(/entries\.stray: no prompt of the manifest names this entry/);
    });

    it('refuses an entry whose kind is not its prompt kind', async () => {
      const bytes = await edited((d) => {
        d.entries.greet = { kind: 'chat', messages: [] };
      });
      const err = await refusal(readBundle(bytes));
      expect(err.message).toMatch(
        /entries\.greet: prompt "greet" is a text prompt, but its entry holds a chat prompt's templates/,
      );
    });

    it('refuses two prompts sharing an entry, with every problem in details', async () => {
      const bytes = await edited((d) => {
        must(d.manifest.prompts[2]).entry = 'greet';
      });
      const err = await refusal(readBundle(bytes));
      const messages = (err.details as { problems: { message: string }[] }).problems.map((p) => p.message);
      expect(messages).toEqual([
        expect.stringMatching(/prompts "greet" and "triage" share the entry "greet"/),
        expect.stringMatching(/"triage" is a chat prompt, but its entry holds a text/),
        expect.stringMatching(/entries\.triage: no prompt/),
      ]);
      expect(err.message).toMatch(/and 2 more problems/);
    });

    it('refuses duplicate prompt names and a schema that does not match the parameters', async () => {
      const dup = await edited((d) => {
        must(d.manifest.prompts[1]).name = 'greet';
      });
      expect((await refusal(readBundle(dup))).message).toMatch(/two prompts are named "greet"/);
      const schema = await edited((d) => {
        must(d.manifest.prompts[0]).schema = { type: 'object' };
      });
      expect((await refusal(readBundle(schema))).message).toMatch(
        /manifest\.prompts\[0\]\.schema: the JSON Schema of prompt "greet" does not match its parameters/,
      );
    });
  });

  it('refuses a bundle that is not the expected name or version', async () => {
    const { bytes } = await buildBundle(sampleInput());
    const name = await refusal(readBundle(bytes, { name: '@acme/billing' }));
    expect(name.code).toBe('invalid_bundle');
    expect(name.message).toBe('bundle @acme/billing holds @acme/support@1.0.0, not @acme/billing');
    const version = await refusal(readBundle(bytes, { name: '@acme/support', version: '1.0.1' }));
    expect(version.message).toBe('bundle @acme/support@1.0.1 holds @acme/support@1.0.0, not version 1.0.1');
  });

  it('never crashes on arbitrary bytes or on a valid bundle with a byte changed (property)', async () => {
    const { bytes } = await buildBundle(sampleInput());
    const codes = new Set(['integrity_mismatch', 'too_large', 'invalid_bundle', 'invalid_entry_name']);
    const check = async (b: Uint8Array): Promise<void> => {
      try {
        await readBundle(b);
      } catch (e) {
        expect(e).toBeInstanceOf(AnvilError);
        expect(codes.has((e as AnvilError).code)).toBe(true);
      }
    };
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), check), { numRuns: 100 });
    await fc.assert(
      fc.asyncProperty(fc.nat(bytes.length - 1), fc.integer({ min: 0, max: 255 }), async (i, v) => {
        const b = bytes.slice();
        b[i] = v;
        await check(b);
      }),
      { numRuns: 100 },
    );
  });
});

describe('bundleContent', () => {
  it('gives back the content it was built from: text and chat prompts, parameters, models, metadata, deps', async () => {
    const content = sampleContent();
    const { document } = await buildBundle(sampleInput({ content }));
    expect(bundleContent(document)).toEqual(content);
    expect(canonicalJson(bundleContent(document))).toBe(canonicalJson(content));
  });

  it('gives back a copy, so editing it leaves the document alone', async () => {
    const { document } = await buildBundle(sampleInput());
    const content = bundleContent(document);
    must(content.prompts[0]).metadata.owner = 'someone else';
    expect(document.manifest.prompts[0]?.metadata.owner).toBe('support');
  });

  it('rebuilds to the same bytes (build → read → content → build)', async () => {
    const first = await buildBundle(sampleInput());
    const read = await readBundle(first.bytes);
    const again = await buildBundle(sampleInput({ content: bundleContent(read.document) }));
    expect(again.integrity).toBe(first.integrity);
  });

  it('refuses a document whose prompt has no entry', async () => {
    const doc = await sampleDoc();
    delete doc.entries.greet;
    expect(() => bundleContent(doc)).toThrow(expect.objectContaining({ code: 'invalid_bundle' }));
  });
});

describe('parametersSchema', () => {
  it('is a JSON Schema object: properties with descriptions, defaults and enums, and the required list', () => {
    expect(parametersSchema(sampleContent().prompts[0]?.parameters ?? [])).toEqual({
      type: 'object',
      properties: {
        customer: { type: 'string', description: 'Who to greet' },
        vip: { type: 'boolean', default: false },
        tone: { type: 'string', enum: ['warm', 'formal'], default: 'warm', description: 'How it sounds' },
        order: {
          type: 'object',
          properties: { id: { type: 'integer' }, items: { type: 'array', items: { type: 'string' } } },
          required: ['id'],
          additionalProperties: false,
        },
      },
      required: ['customer'],
      additionalProperties: false,
    });
  });

  it('is an empty object schema for no parameters', () => {
    expect(parametersSchema([])).toEqual({ type: 'object', properties: {}, required: [], additionalProperties: false });
  });

  it('keeps number enums and does not share arrays with the parameters', () => {
    const params = [{ name: 'n', type: { type: 'integer' as const, enum: [1, 2] }, required: true, description: '' }];
    const schema = parametersSchema(params) as { properties: { n: { enum: number[] } } };
    expect(schema.properties.n).toEqual({ type: 'integer', enum: [1, 2] });
    schema.properties.n.enum.push(3);
    expect(params[0]?.type.enum).toEqual([1, 2]);
  });
});
