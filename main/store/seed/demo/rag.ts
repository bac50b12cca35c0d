import type { ParamType } from '../../../../shared/domain';
import type { PromptSpec, SetSpec } from '../spec';
import { integer, param, string } from '../spec';

/** @acme/rag: retrieval-augmented QA over numbered sources, built from @acme/common's partials. */

const document: ParamType = {
  type: 'object',
  properties: { title: string, url: string, content: string },
  required: ['title', 'content'],
};
const turn: ParamType = { type: 'object', properties: { role: string, text: string } };

const answer: PromptSpec = {
  name: 'answer',
  kind: 'text',
  description: 'Answer a question from retrieved documents, citing them.',
  parameters: [
    param('question', string, 'The user question.', { required: true }),
    param('documents', { type: 'array', items: document }, 'Retrieved passages, best first.', { required: true }),
    param('today', string, 'Current date (ISO 8601).'),
  ],
  template: `{% render '@acme/common/header', product: "Acme Knowledge Assistant", today: today %}
{% render '@acme/common/tone', tone: "formal" %}
Answer the question using only the numbered sources below and cite them as [n].
If the sources do not contain the answer, say "I don't know" and nothing else.

{% for doc in documents %}[{{ forloop.index }}] {{ doc.title | strip }}{% if doc.url %} <{{ doc.url }}>{% endif %}
{{ doc.content | strip | truncatewords: 250 }}

{% endfor %}Question: {{ question | strip }}

{% render '@acme/common/safety-footer' %}`,
  model: { provider: 'openai', model: 'gpt-4o', temperature: 0.2, maxTokens: 800 },
};

const answerWithCount: PromptSpec = {
  ...answer,
  parameters: [
    ...answer.parameters,
    param('min_sources', integer, 'Refuse to answer from fewer sources than this.', { default: 1 }),
  ],
  template: answer.template.replace(
    'Question:',
    `{% if documents.size < min_sources %}Fewer than {{ min_sources }} sources were found: say that you cannot answer reliably.
{% endif %}Question:`,
  ),
};

const rewrite: PromptSpec = {
  name: 'rewrite-query',
  kind: 'text',
  description: 'Turn a follow-up question into a standalone search query.',
  parameters: [
    param('question', string, 'The latest user message.', { required: true }),
    param('history', { type: 'array', items: turn }, 'Earlier turns, oldest first.', { default: [] }),
  ],
  template: `Rewrite the last question as a standalone search query of at most 12 words.
Resolve pronouns using the conversation. Output the query only.

{% for t in history %}{{ t.role | capitalize }}: {{ t.text | strip | truncate: 300 }}
{% endfor %}Last question: {{ question | strip }}`,
};

export const rag: SetSpec = {
  name: 'rag',
  stages: [
    {
      version: '1.0.0',
      changelog: 'Cited answers over retrieved documents.',
      description: 'Retrieval-augmented question answering.',
      dependencies: { '@acme/common': '^1.0.0' },
      prompts: [answer],
    },
    {
      version: '1.1.0',
      changelog: 'Query rewriting for follow-up questions.',
      dependencies: { '@acme/common': '^1.0.0' },
      prompts: [answer, rewrite],
    },
    {
      version: '1.2.0',
      changelog: 'Optional minimum number of sources.',
      dependencies: { '@acme/common': '^1.0.0' },
      prompts: [answerWithCount, rewrite],
    },
  ],
};
