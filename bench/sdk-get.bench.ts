// The SDK's hot path: `anvil.get(address, params)` of a cached, parsed prompt (locked mode, bundle in the disk
// cache, already loaded once) vs raw liquidjs rendering the same template, parsed once beforehand, with the
// same values, both async. Also renders per second of `get`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Liquid } from 'liquidjs';
import { contentHash } from '../shared/domain/hash';
import type { PromptSetContent } from '../shared/domain/prompt-set';
import { buildBundle } from '../shared/registry/bundle';
import { createAnvil } from '../client/sdk/anvil';
import { openDiskCache } from '../client/sdk/disk-cache';
import type { BenchRow } from './harness';
import { paired, row } from './harness';
import { SUPPORT_PARAMETERS, SUPPORT_PROMPT, SUPPORT_VALUES } from './template-fixtures';

export default async function sdkGet(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'anvil-bench-sdk-'));
  try {
    const content: PromptSetContent = {
      id: 'set-support',
      projectId: 'p1',
      name: 'support',
      description: '',
      dependencies: {},
      prompts: [
        {
          id: 'p-answer',
          name: 'answer',
          description: '',
          kind: 'text',
          template: SUPPORT_PROMPT,
          parameters: SUPPORT_PARAMETERS,
          model: null,
          metadata: {},
        },
      ],
    };
    const bundle = await buildBundle({
      content,
      projectName: 'acme',
      version: '1.0.0',
      author: 'bench',
      createdAt: '2026-01-01T00:00:00.000Z',
      changelog: '',
      changeClass: 'minor',
      override: null,
      contentHash: await contentHash(content),
    });
    await openDiskCache(dir).writeBundle(bundle);
    const anvil = createAnvil({
      cacheDir: dir,
      mode: 'locked',
      lockfile: {
        lockfileVersion: 1,
        dependencies: { '@acme/support': '^1.0.0' },
        sets: {
          '@acme/support': { version: '1.0.0', integrity: bundle.integrity, ranges: ['^1.0.0'], dependencies: {} },
        },
      },
    });
    const address = '@acme/support/answer';
    const raw = new Liquid();
    const parsed = raw.parse(SUPPORT_PROMPT);
    const ours = await anvil.getOrThrow(address, SUPPORT_VALUES);
    const theirs = (await raw.render(parsed, SUPPORT_VALUES)) as string;
    if (ours.kind !== 'text' || ours.text !== theirs)
      throw new Error('the SDK and raw liquidjs differ on the bench prompt');

    const perRound = 300;
    const run = await paired(
      () => anvil.get(address, SUPPORT_VALUES),
      () => raw.render(parsed, SUPPORT_VALUES),
      { rounds: 40, perRound, warmup: 1_000 },
    );
    await anvil.close();
    const us = (ms: number): number => ms * 1000;
    return [
      row('sdk-get', 'get µs (cached, parsed; vs raw liquidjs, async)', us(run.ours), us(run.baseline), 'µs', 1.2),
      row('sdk-get', 'get renders per second (cached, parsed)', 1000 / run.ours, null, 'renders/s'),
      row('sdk-get', 'raw liquidjs renders per second (same template)', 1000 / run.baseline, null, 'renders/s'),
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
