import { z } from 'zod';
import { Id } from '../domain';
import type { Role } from '../domain';
import type { ExperimentResults } from '../experiments/stats';
import type { ExperimentRecord } from '../registry/api';

/**
 * Operations of A/B tests in the studio (issue 8), served by the main process (`main/experiments/`) against the
 * sync server of the sync settings: the registry keeps the definitions (`PUT …/experiments/<id>`: publishing one
 * puts it in the package metadata the SDK follows), the usage API the figures its results are computed from
 * (`shared/experiments/stats.ts`). `experiments:list` answers what it can (`available: false` and why), because
 * the screen asks it whenever it is shown; the others fail with the server's error (`invalid_experiment` with
 * `details.issues` by field, `experiment_conflict`, `project_locked`, `forbidden`).
 */
const PackageName = z
  .string()
  .max(300)
  .regex(/^@[^/\s]+\/[^/\s]+$/, 'a package name is written @project/set');
const ExperimentId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'an experiment id holds A-Z a-z 0-9 _ and -');

export const EXPERIMENTS_ARGS = {
  /** The experiments of a studio set's package, with what a new one may target (prompts, published versions). */
  'experiments:list': z.object({ setId: Id }).strict(),
  /**
   * Publish a definition (new, or the next revision of one): checked by the server against the package, then in
   * its metadata. `definition` is validated by the server (`parseExperiment` rules), so it passes through as is.
   */
  'experiments:save': z
    .object({ name: PackageName, id: ExperimentId, definition: z.record(z.string(), z.unknown()) })
    .strict(),
  /** Stop a running experiment with its winner: from then on every unit gets the winning variant. */
  'experiments:stop': z.object({ name: PackageName, id: ExperimentId, winner: z.string().min(1).max(200) }).strict(),
  /** Results per variant over the experiment's life (or `from`/`to`, ms): exposures, metric with 95% intervals. */
  'experiments:results': z
    .object({
      name: PackageName,
      id: ExperimentId,
      from: z.number().int().min(0).optional(),
      to: z.number().int().min(0).optional(),
      rateDenominator: z.enum(['outcomes', 'exposures']).optional(),
    })
    .strict(),
} as const;

export type ExperimentsOperationName = keyof typeof EXPERIMENTS_ARGS;

/** A studio set's experiments, or why they cannot be shown (sync off, never published, server unreachable). */
export type SetExperiments =
  | { available: false; code: string; reason: string }
  | {
      available: true;
      /** `@project/set` */
      name: string;
      projectId: string;
      /** This account's role on the project; writers and admins define and stop experiments. */
      role: Role | null;
      canWrite: boolean;
      /** The project is locked on the server: experiments do not change (a change is a publish). */
      locked: boolean;
      /** Prompts of the latest published version: what an experiment may be on, or render as a variant. */
      prompts: string[];
      /** Published versions, newest first, with their prompts: what a `{ version }` variant may render. */
      versions: { version: string; prompts: string[]; deprecated: boolean }[];
      latest: string | null;
      /** Every experiment, running first, then by last change, newest first. */
      experiments: ExperimentRecord[];
    };

/** An experiment's results over a range of whole hours, with the figures' source named. */
export interface ExperimentResultsView {
  record: ExperimentRecord;
  from: number;
  to: number;
  results: ExperimentResults;
  /** Renders of the experiment's prompt in the range that carried no variant of it (served outside the test). */
  unassigned: number;
}

export type { ExperimentRecord, ExperimentResults };
