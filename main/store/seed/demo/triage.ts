import type { ModelSettings } from '../../../../shared/domain';
import type { PromptSpec, SetSpec } from '../spec';
import { oneOf, param, string } from '../spec';

/** @acme/triage: a ticket classifier as a chat prompt, answering in JSON under a response schema. */

const CATEGORIES = ['billing', 'bug', 'account', 'feature-request', 'other'];

const model = (temperature: number): ModelSettings => ({
  provider: 'openai',
  model: 'gpt-4o-mini',
  temperature,
  maxTokens: 200,
  responseSchema: {
    type: 'object',
    properties: {
      category: { type: 'string', enum: CATEGORIES },
      urgency: { type: 'string', enum: ['low', 'normal', 'high'] },
      confidence: { type: 'number', minimum: 0, maximum: 1 },
      rationale: { type: 'string', maxLength: 280 },
    },
    required: ['category', 'urgency', 'confidence'],
    additionalProperties: false,
  },
});

const system = `You are the ticket triage classifier of {{ product | default: "Acme" }}.
Put each ticket in exactly one category: {{ categories | join: ", " }}.
Urgency is high only when the customer cannot work at all or money is at stake.
Reply with JSON that matches the response schema, and nothing else.`;

const user = `Ticket #{{ ticket_id }}
Subject: {{ subject | strip | truncate: 200 }}

{{ body | strip | truncate: 4000 }}`;

const v1: PromptSpec = {
  name: 'classify',
  kind: 'chat',
  description: 'Classify a support ticket by category and urgency.',
  parameters: [
    param('categories', { type: 'array', items: string }, 'Allowed categories.', { default: CATEGORIES }),
    param('product', string, 'Product name used in the instructions.', { default: 'Acme' }),
    param('ticket_id', string, 'Ticket number.', { required: true }),
    param('subject', string, 'Ticket subject line.', { required: true }),
    param('body', string, 'Ticket text.', { required: true }),
  ],
  messages: [
    { type: 'message', role: 'system', content: system },
    { type: 'history', name: 'history' },
    { type: 'message', role: 'user', content: user },
  ],
  model: model(0.2),
};

const v11: PromptSpec = {
  ...v1,
  parameters: [
    ...v1.parameters,
    param('customer_tier', oneOf('free', 'pro', 'enterprise'), 'Plan of the customer who wrote.', { default: 'free' }),
  ],
  messages: [
    { type: 'message', role: 'system', content: system },
    { type: 'history', name: 'history' },
    {
      type: 'message',
      role: 'user',
      content: user.replace(
        'Ticket #{{ ticket_id }}',
        'Ticket #{{ ticket_id }} from a {{ customer_tier | default: "free" | upcase }} customer',
      ),
    },
  ],
};

export const triage: SetSpec = {
  name: 'triage',
  stages: [
    {
      version: '1.0.0',
      changelog: 'Category and urgency classifier with a JSON response schema.',
      description: 'Routes incoming tickets.',
      prompts: [v1],
    },
    { version: '1.1.0', changelog: 'Consider the customer tier.', prompts: [v11] },
    { version: '1.1.1', changelog: 'Temperature 0 for reproducible labels.', prompts: [{ ...v11, model: model(0) }] },
  ],
};
