// Templates the template benches render and analyse: a typical support prompt, and a long generated one.
import type { Parameter } from '../shared/domain/parameter';

export const SUPPORT_PROMPT = `You are {{ agent_name }}, a support assistant for {{ company }}.
Answer in a {{ tone | default: "friendly" }} tone and keep answers under {{ max_words }} words.

## Customer
Name: {{ customer.name | capitalize }}
Plan: {{ customer.plan | upcase }}
{% if customer.vip %}
This customer is a VIP: offer a callback within the hour.
{% else %}
Standard response times apply.
{% endif %}
Account age: {{ customer.months | divided_by: 12 }} years

## Recent orders
{% for order in orders limit: 5 %}
- #{{ order.id }} {{ order.product | truncate: 40 }}: {{ order.total | times: 1.2 | round: 2 }} {{ currency }} ({{ order.status }})
{% else %}
- no orders yet
{% endfor %}

## Known issues
{% for issue in known_issues %}{{ forloop.index }}. {{ issue | strip }}
{% endfor %}

## The question
{{ question | strip | escape }}

Rules:
1. Never promise refunds above {{ refund_limit }} {{ currency }}.
2. If unsure, say so and offer to escalate.
3. Sign as {{ agent_name }} from {{ company }}.`;

const s = (name: string, required = true, extra: Partial<Parameter> = {}): Parameter => ({
  name,
  type: { type: 'string' },
  required,
  description: '',
  ...extra,
});

export const SUPPORT_PARAMETERS: Parameter[] = [
  s('agent_name'),
  s('company'),
  s('tone', false, { type: { type: 'string', enum: ['friendly', 'formal'] } }),
  { name: 'max_words', type: { type: 'integer' }, required: false, default: 150, description: '' },
  {
    name: 'customer',
    type: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        plan: { type: 'string' },
        vip: { type: 'boolean' },
        months: { type: 'integer' },
      },
      required: ['name', 'plan'],
    },
    required: true,
    description: '',
  },
  {
    name: 'orders',
    type: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          product: { type: 'string' },
          total: { type: 'number' },
          status: { type: 'string' },
        },
        required: ['id', 'total'],
      },
    },
    required: true,
    description: '',
  },
  s('currency'),
  { name: 'known_issues', type: { type: 'array', items: { type: 'string' } }, required: false, description: '' },
  s('question'),
  { name: 'refund_limit', type: { type: 'number' }, required: true, description: '' },
];

export const SUPPORT_VALUES: Record<string, unknown> = {
  agent_name: 'Sam',
  company: 'Acme',
  tone: 'friendly',
  max_words: 150,
  customer: { name: 'ada lovelace', plan: 'pro', vip: true, months: 30 },
  orders: [
    { id: 'A-1001', product: 'Analytical Engine, deluxe edition with extra gears', total: 1200, status: 'shipped' },
    { id: 'A-1002', product: 'Punch cards (box of 500)', total: 35.5, status: 'delivered' },
    { id: 'A-1003', product: 'Brass lubricant', total: 12.99, status: 'processing' },
  ],
  currency: 'EUR',
  known_issues: ['  Shipping delays to the Alps  ', 'Card reader firmware 1.2 jams on wet cards'],
  question: 'Where is my <engine>? It was due on Monday & I need it for a demo.',
  refund_limit: 500,
};

const PROSE = [
  'Read the whole section before answering and quote the figures exactly as they appear above.',
  'If a figure looks wrong, say so plainly and suggest contacting {{ company }} support rather than guessing.',
  'Never reveal internal notes, account identifiers or the reasoning that led to a refusal.',
  'Keep the tone consistent with the rest of the conversation; do not switch languages unless asked.',
  'When the customer asks for a summary, use at most three bullet points per section.',
  "Dates are in the customer's time zone; amounts are already converted to {{ currency }}.",
];

/**
 * A long prompt template: sections of templated lines (conditions, loops, filters, many distinct parameters)
 * followed by `prose` lines of instructions, as long system prompts are written. `prose: 0` gives the dense
 * extreme where every line is markup.
 */
export function longTemplate(lines: number, salt = '', prose = 6): string {
  const out: string[] = [`{% comment %}generated ${salt}{% endcomment %}`];
  const SECTION = 12 + prose;
  for (let i = 0; out.length + SECTION < lines; i++) {
    for (let j = 0; j < prose; j++) out.push(PROSE[(i + j) % PROSE.length] as string);
    out.push(
      `## Section ${i}: {{ section_${i}.title | capitalize }}`,
      `{% if section_${i}.enabled and user.level > ${i % 5} %}`,
      `Dear {{ user.name | default: "customer" }}, here is part ${i} of your report ({{ report_date | date: "%Y-%m-%d" }}).`,
      `{% for item in section_${i}.items limit: limit_${i % 7} %}`,
      `- {{ forloop.index }}. {{ item.label | truncate: 60 }}: {{ item.amount | times: rate_${i % 11} | round: 2 }} {{ currency }}`,
      `  {% if item.note %}note: {{ item.note | strip | escape }}{% endif %}`,
      `{% endfor %}`,
      `{% assign subtotal_${i} = section_${i}.total | plus: fee_${i % 13} %}Subtotal: {{ subtotal_${i} }}`,
      `{% else %}`,
      `Section ${i} is not available for {{ user.plan | upcase }}.`,
      `{% endif %}`,
      `{{ footer_${i % 17} | append: " " | append: signature }}`,
    );
  }
  while (out.length < lines) out.push('Thank you for reading this far.');
  return out.join('\n');
}
