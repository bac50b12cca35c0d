import type { ProjectSpec } from '../spec';
import { common } from './common';
import { labs } from './labs';
import { rag } from './rag';
import { summarise } from './summarise';
import { support } from './support';
import { triage } from './triage';

/** The demo workspace: @acme with five sets (common first: the others depend on it), and @labs. */
export const DEMO: readonly ProjectSpec[] = [
  {
    name: 'acme',
    description: 'Acme Inc. customer-facing assistants.',
    editMode: 'open',
    sets: [common, support, summarise, rag, triage],
  },
  labs,
];
