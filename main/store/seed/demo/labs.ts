import type { ProjectSpec, PromptSpec, StageSpec } from '../spec';
import { integer, param, string } from '../spec';

const critique: PromptSpec & { kind: 'text' } = {
  name: 'critique',
  kind: 'text',
  description: 'Point out the weaknesses of an idea.',
  parameters: [param('idea', string, 'The idea to critique.', { required: true })],
  template: `List the three biggest risks of this idea, most serious first, then one way to test each cheaply:

{{ idea | strip | escape }}`,
};

/** 0.1.1: the critique can be told what the idea is for (an optional parameter: a minor change). */
const critiqueWithGoal: PromptSpec = {
  ...critique,
  parameters: [...critique.parameters, param('goal', string, 'What the idea should achieve.')],
  template: `${critique.template}
{% if goal %}
Judge it against this goal: {{ goal | strip }}.{% endif %}`,
};

const first: StageSpec = {
  version: '0.1.0',
  changelog: 'First experiments.',
  description: 'Brainstorming helpers.',
  prompts: [
    {
      name: 'brainstorm',
      kind: 'chat',
      description: 'Generate ideas on a topic.',
      parameters: [
        param('topic', string, 'What to brainstorm about.', { required: true }),
        param('count', integer, 'How many ideas.', { default: 10 }),
      ],
      messages: [
        {
          type: 'message',
          role: 'system',
          content: 'You are a creative partner. Offer varied, concrete ideas; avoid the obvious ones.',
        },
        { type: 'history', name: 'history' },
        {
          type: 'message',
          role: 'user',
          content: 'Give me {{ count | default: 10 }} ideas about {{ topic | strip | downcase }}, one per line.',
        },
      ],
    },
    critique,
  ],
};

/** @labs: a second, smaller project for experiments, in review mode. */
export const labs: ProjectSpec = {
  name: 'labs',
  description: 'Experiments that are not ready for production.',
  editMode: 'review',
  sets: [
    {
      name: 'ideas',
      stages: [
        first,
        {
          version: '0.1.1',
          changelog: 'Critique: optional goal to judge the idea against.',
          prompts: [first.prompts[0] as PromptSpec, critiqueWithGoal],
        },
      ],
    },
  ],
};
