import type { PromptSpec, SetSpec } from '../spec';
import { integer, oneOf, param, revise, string } from '../spec';

/** @acme/summarise: a summariser with length and format parameters, and a headline writer. */

const v1Summary: PromptSpec = {
  name: 'summary',
  kind: 'text',
  description: 'Summarise a text faithfully.',
  parameters: [
    param('text', string, 'The text to summarise.', { required: true }),
    param('max_words', integer, 'Length limit of the summary.', { default: 120 }),
  ],
  template: `Summarise the text below in at most {{ max_words | default: 120 }} words.
Keep names, numbers and dates exactly as written. Do not add facts.

<text>
{{ text | strip }}
</text>`,
};

const v11Summary = revise(v1Summary, {
  parameters: [
    ...v1Summary.parameters,
    param('format', oneOf('paragraph', 'bullets', 'tldr'), 'Shape of the summary.', { default: 'paragraph' }),
  ],
  template: `{% assign limit = max_words | default: 120 %}Summarise the text below.
{% if format == "bullets" %}Use 3 to 5 bullet points, {{ limit }} words in total at most.
{% elsif format == "tldr" %}Write a single sentence that starts with "TL;DR:".
{% else %}Write one paragraph of at most {{ limit }} words.
{% endif %}Keep names, numbers and dates exactly as written. Do not add facts.

<text>
{{ text | strip }}
</text>`,
});

/** 2.0.0: `text` becomes `document` (a breaking rename) and an optional audience appears. */
const v2Summary = revise(v11Summary, {
  parameters: [
    param('document', string, 'The document to summarise.', { required: true }),
    param('max_words', integer, 'Length limit of the summary.', { default: 120 }),
    param('format', oneOf('paragraph', 'bullets', 'tldr'), 'Shape of the summary.', { default: 'paragraph' }),
    param('audience', string, 'Who will read the summary, e.g. "executives".'),
  ],
  template: `{% assign limit = max_words | default: 120 %}Summarise the document below{% if audience %} for {{ audience | downcase }}{% endif %}.
{% if format == "bullets" %}Use 3 to 5 bullet points, {{ limit }} words in total at most.
{% elsif format == "tldr" %}Write a single sentence that starts with "TL;DR:".
{% else %}Write one paragraph of at most {{ limit }} words.
{% endif %}Keep names, numbers and dates exactly as written. Do not add facts.

<document>
{{ document | strip }}
</document>`,
});

const headline: PromptSpec = {
  name: 'headline',
  kind: 'text',
  description: 'A headline for a document.',
  parameters: [
    param('document', string, 'The document to title.', { required: true }),
    param('max_chars', integer, 'Longest headline allowed.', { default: 80 }),
  ],
  template: `Write one headline of at most {{ max_chars | default: 80 }} characters for the document below.
No clickbait, no trailing period.

{{ document | strip | truncatewords: 300, " […]" }}`,
  model: { provider: 'openai', model: 'gpt-4o-mini', temperature: 0.7, maxTokens: 40 },
};

export const summarise: SetSpec = {
  name: 'summarise',
  stages: [
    {
      version: '1.0.0',
      changelog: 'Paragraph summaries with a word limit.',
      description: 'Faithful summaries of documents.',
      prompts: [v1Summary],
    },
    { version: '1.1.0', changelog: 'Bullet and TL;DR formats.', prompts: [v11Summary] },
    {
      version: '2.0.0',
      changelog: 'BREAKING: `text` is now `document`; optional audience; new headline prompt.',
      prompts: [headline, v2Summary],
    },
  ],
};
