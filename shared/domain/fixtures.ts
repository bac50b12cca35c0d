import type { Prompt } from './prompt';

/** A text prompt with every field at its default, for tests on either side of the contract. */
export function textPrompt(id: string, name: string, template = '', extra: Partial<Prompt> = {}): Prompt {
  return {
    id,
    name,
    description: '',
    kind: 'text',
    template,
    parameters: [],
    model: null,
    metadata: {},
    ...extra,
  } as Prompt;
}
