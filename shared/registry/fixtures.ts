import type { Prompt } from '../domain/prompt';
import type { PromptSetContent } from '../domain/prompt-set';
import type { BundleInput } from './bundle';

/**
 * A small set with one prompt of each kind, parameters of every type, model settings, metadata and a
 * dependency: for tests on either side of the registry (shared, server, studio).
 */
export function sampleContent(overrides: Partial<PromptSetContent> = {}): PromptSetContent {
  const greet: Prompt = {
    id: 'p-greet',
    name: 'greet',
    description: 'Greets a customer',
    kind: 'text',
    template: 'Hello {{ customer }}{% if vip %}, welcome back{% endif %}!\n{% render "footer" %}',
    parameters: [
      { name: 'customer', type: { type: 'string' }, required: true, description: 'Who to greet' },
      { name: 'vip', type: { type: 'boolean' }, required: false, default: false, description: '' },
      {
        name: 'tone',
        type: { type: 'string', enum: ['warm', 'formal'] },
        required: false,
        default: 'warm',
        description: 'How it sounds',
      },
      {
        name: 'order',
        type: {
          type: 'object',
          properties: { id: { type: 'integer' }, items: { type: 'array', items: { type: 'string' } } },
          required: ['id'],
        },
        required: false,
        description: '',
      },
    ],
    model: { provider: 'openai', model: 'gpt-4o', temperature: 0.2, maxTokens: 300, stop: ['\n\n'] },
    metadata: { owner: 'support', team: 'cx' },
  };
  const footer: Prompt = {
    id: 'p-footer',
    name: 'footer',
    description: '',
    kind: 'text',
    template: '-- {% render "@acme/common/signature" %}',
    parameters: [],
    model: null,
    metadata: {},
  };
  const triage: Prompt = {
    id: 'p-triage',
    name: 'triage',
    description: 'Sorts a ticket',
    kind: 'chat',
    messages: [
      { type: 'message', role: 'system', content: 'You sort tickets into {{ queues | join: ", " }}.' },
      { type: 'history', name: 'conversation' },
      { type: 'message', role: 'user', content: '{{ ticket }}' },
    ],
    parameters: [
      { name: 'queues', type: { type: 'array', items: { type: 'string' } }, required: true, description: '' },
      { name: 'ticket', type: { type: 'string' }, required: true, description: 'The ticket text' },
    ],
    model: {
      provider: 'anthropic',
      model: 'claude-sonnet',
      tools: [{ name: 'route', description: 'Routes', parameters: { type: 'object', properties: {} } }],
    },
    metadata: {},
  };
  return {
    id: 'set-support',
    projectId: 'proj-acme',
    name: 'support',
    description: 'Support prompts',
    dependencies: { '@acme/common': '^1.0.0' },
    prompts: [greet, footer, triage],
    ...overrides,
  };
}

export function sampleInput(overrides: Partial<BundleInput> = {}): BundleInput {
  return {
    content: sampleContent(),
    projectName: 'acme',
    version: '1.0.0',
    author: 'ada',
    createdAt: '2026-03-01T10:00:00.000Z',
    changelog: 'First version',
    changeClass: 'minor',
    override: null,
    contentHash: `sha256-${'ab'.repeat(32)}`,
    ...overrides,
  };
}
