import type { ProjectSpec } from '../spec';
import { integer, param, string } from '../spec';

/** @labs: a second, smaller project for experiments, in review mode. */
export const labs: ProjectSpec = {
  name: 'labs',
  description: 'Experiments that are not ready for production.',
  editMode: 'review',
  sets: [
    {
      name: 'ideas',
      stages: [
        {
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
                  content:
                    'Give me {{ count | default: 10 }} ideas about {{ topic | strip | downcase }}, one per line.',
                },
              ],
            },
            {
              name: 'critique',
              kind: 'text',
              description: 'Point out the weaknesses of an idea.',
              parameters: [param('idea', string, 'The idea to critique.', { required: true })],
              template: `List the three biggest risks of this idea, most serious first, then one way to test each cheaply:

{{ idea | strip | escape }}`,
            },
          ],
        },
      ],
    },
  ],
};
