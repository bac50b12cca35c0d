import type { PromptSpec, SetSpec } from '../spec';
import { edit, integer, oneOf, param, string } from '../spec';

/** @acme/support: the customer support assistant (greeting, answer with a policy, escalation). */

const greeting: PromptSpec & { kind: 'text' } = {
  name: 'greeting',
  kind: 'text',
  description: 'First message of a support conversation.',
  parameters: [
    param('customer_name', string, "The customer's name as on their account.", { required: true }),
    param('plan', oneOf('free', 'pro', 'enterprise'), 'Subscription plan.', { default: 'free' }),
    param('open_tickets', integer, 'Tickets this customer has open.', { default: 0 }),
  ],
  template: `Hi {{ customer_name | strip | capitalize }}, thanks for contacting Acme support!
{% if plan == "enterprise" %}As an Enterprise customer you also have a dedicated success manager.
{% endif %}{% if open_tickets > 0 %}I can see {{ open_tickets }} open {% if open_tickets == 1 %}ticket{% else %}tickets{% endif %} on your account.
{% endif %}How can I help you today?`,
};

const answer: PromptSpec & { kind: 'text' } = {
  name: 'answer',
  kind: 'text',
  description: "Answer a customer's question from one policy document.",
  parameters: [
    param('question', string, 'What the customer asked, verbatim.', { required: true }),
    param(
      'policy',
      { type: 'object', properties: { title: string, body: string }, required: ['title', 'body'] },
      'The policy that applies.',
      { required: true },
    ),
    param('max_sentences', integer, 'Upper bound on the answer length.', { default: 4 }),
  ],
  template: `Answer the customer's question using only the policy below.
If the policy does not cover the question, say so and offer to escalate.

## Policy: {{ policy.title }}
{{ policy.body | strip }}

## Question
{{ question | strip | escape }}

Answer in at most {{ max_sentences | default: 4 }} sentences.`,
};

const escalation: PromptSpec & { kind: 'text' } = {
  name: 'escalation',
  kind: 'text',
  description: 'Hand-off note for a human agent when the assistant cannot resolve the issue.',
  parameters: [
    param('reason', string, 'Why the assistant is escalating.', { required: true }),
    param('priority', oneOf('low', 'normal', 'urgent'), 'How soon a human should look.', { default: 'normal' }),
    param('team', string, 'Queue to route to.', { default: 'tier-2' }),
    param(
      'transcript',
      { type: 'array', items: { type: 'object', properties: { role: string, text: string } } },
      'The conversation so far.',
      {
        required: true,
      },
    ),
  ],
  template: `Escalation to {{ team | default: "tier-2" | upcase }} — priority {{ priority | default: "normal" | upcase }}
Reason: {{ reason | strip | truncate: 200 }}

Transcript ({{ transcript | size }} messages):
{% for turn in transcript %}- {{ turn.role | capitalize }}: {{ turn.text | strip | truncatewords: 40 }}
{% endfor %}
Summarise the customer's problem in two sentences for the agent, then list what was already tried.`,
};

const answerWithRules = edit(
  answer,
  'Answer in at most',
  `{% render '@acme/common/safety-footer', contact: "help@acme.example" %}

Answer in at most`,
);

export const support: SetSpec = {
  name: 'support',
  stages: [
    {
      version: '1.0.0',
      changelog: 'Greeting and policy answers.',
      description: 'The customer support assistant of acme.example.',
      prompts: [greeting, answer],
    },
    { version: '1.1.0', changelog: 'Add escalation to a human agent.', prompts: [greeting, answer, escalation] },
    {
      version: '1.1.1',
      changelog: 'Greeting: shorter closing question.',
      prompts: [edit(greeting, 'How can I help you today?', 'What can I do for you?'), answer, escalation],
    },
    {
      version: '1.2.0',
      changelog: 'Answers end with the shared safety rules from @acme/common.',
      dependencies: { '@acme/common': '^1.1.0' },
      prompts: [edit(greeting, 'How can I help you today?', 'What can I do for you?'), answerWithRules, escalation],
    },
    {
      // Unsaved work in progress: the draft differs from 1.2.0.
      dependencies: { '@acme/common': '^1.1.0' },
      prompts: [
        edit(greeting, 'How can I help you today?', 'What can I do for you today?'),
        answerWithRules,
        escalation,
      ],
    },
  ],
};
