import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ARGS } from '../../../shared/contract/operations';
import type { TempWorkspace } from './testing';
import { tempWorkspace } from './testing';

let t: TempWorkspace;
beforeEach(async () => {
  t = await tempWorkspace();
});
afterEach(() => t.dispose());

describe('workspace operations as namespace:method', () => {
  it('has a method for every argument schema, so a contract can expose them one to one', () => {
    for (const name of Object.keys(ARGS)) {
      const [ns = '', method = ''] = name.split(':');
      const namespace = (t.ws as unknown as Record<string, Record<string, unknown>>)[ns];
      expect({ name, type: typeof namespace?.[method] }).toEqual({ name, type: 'function' });
    }
  });

  it('refuses malformed arguments with one invalid_argument error listing every problem', async () => {
    const bad = t.ws.prompts.editTemplate({
      setId: '',
      promptId: 'x',
      index: -1,
      deleteCount: 0.5,
      insert: 3,
    } as never);
    await expect(bad).rejects.toMatchObject({
      code: 'invalid_argument',
      message: expect.stringMatching(/setId.*index.*deleteCount.*insert/s),
    });
  });
});
