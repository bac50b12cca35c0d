import { z } from 'zod';
import { Id } from '../domain';
import type { UsageBreakdown, UsageFigures, UsageSeries } from '../usage/types';

/**
 * Operations of usage analytics (issue 8), served by the main process (`main/usage/`) against the sync server
 * configured in the sync settings (same URL, same token), whose query API answers them
 * (`shared/usage/types.ts`). `usage:series` and `usage:breakdown` fail with `usage_unavailable` while sync is
 * off; `usage:scope` and `usage:prompt` answer what they can (`available: false` and why), because the
 * dashboard and the editor ask them whenever they are shown.
 */
const PackageName = z
  .string()
  .max(300)
  .regex(/^@[^/\s]+\/[^/\s]+$/, 'a package name is written @project/set');
const Key = z.string().min(1).max(200);
/** Longest span one query may cover: a year and a bit, so a custom range cannot ask for decades of hours. */
export const USAGE_MAX_SPAN_MS = 400 * 24 * 3600_000;

const filter = {
  /** The project's name on the server (`acme`). */
  project: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[^@/\s][^/\s]*$/, 'a project is named without "@" or "/"')
    .optional(),
  name: PackageName.optional(),
  prompt: Key.optional(),
  version: Key.optional(),
  /** An experiment's id: with `by: 'variant'`, that experiment's variants only (keys repeat across experiments). */
  experiment: Key.optional(),
  variant: Key.optional(),
  from: z.number().int().min(0),
  to: z.number().int().min(0),
};
interface Span {
  from: number;
  to: number;
}
const ordered = (f: Span) => f.to > f.from;
const ORDERED = { message: '"to" must be after "from"', path: ['to'] };
const bounded = (f: Span) => f.to - f.from <= USAGE_MAX_SPAN_MS;
const BOUNDED = { message: 'a range covers at most 400 days', path: ['from'] };

export const USAGE_ARGS = {
  /** The server's projects this account can see, each with its published sets and their versions (filters). */
  'usage:scope': z.object({}).strict(),
  /** Figures per hour or day over the range. */
  'usage:series': z
    .object({ ...filter, bucket: z.enum(['hour', 'day']) })
    .strict()
    .refine(ordered, ORDERED)
    .refine(bounded, BOUNDED),
  /** Figures per version, model, prompt… over the range. */
  'usage:breakdown': z
    .object({ ...filter, by: z.enum(['name', 'prompt', 'version', 'experiment', 'variant', 'model', 'error']) })
    .strict()
    .refine(ordered, ORDERED)
    .refine(bounded, BOUNDED),
  /** One prompt of a studio set over the last 7 days, for the editor's compact line (cached a minute). */
  'usage:prompt': z.object({ setId: Id, prompt: Key }).strict(),
} as const;

export type UsageOperationName = keyof typeof USAGE_ARGS;

export interface UsageScopePackage {
  name: string;
  setId: string;
  /** Published versions, newest first. */
  versions: string[];
}

export interface UsageScopeProject {
  id: string;
  name: string;
  packages: UsageScopePackage[];
}

/** What the dashboard can filter by, or why it cannot show anything (sync off, no token, server unreachable). */
export type UsageScope =
  | { available: false; code: string; reason: string }
  | { available: true; server: string; projects: UsageScopeProject[] };

/** The editor's line for one prompt: its figures over the last 7 days, or why there are none. */
export type PromptUsage =
  | { available: false; code: string; reason: string }
  | {
      available: true;
      /** The set's package name; null while the set was never published (then no application renders it). */
      name: string | null;
      prompt: string;
      from: number;
      to: number;
      /** Null when the prompt has no events in the range. */
      figures: UsageFigures | null;
      /** The prompt's current A/B test (the one the package's metadata carries for it), if it has one. */
      experiment: PromptExperiment | null;
    };

export interface PromptExperiment {
  id: string;
  name: string;
  status: 'running' | 'stopped';
  /** The variant every unit gets once stopped. */
  winner: string | null;
}

export type { UsageBreakdown, UsageSeries };
