import { z } from 'zod';
import { tryParseAddress } from '../address/parse';
import { Id, Name } from '../domain/names';
import { AnvilError, type Result } from '../domain/result';
import { SemverNumber } from '../domain/version';

/**
 * An A/B test on one prompt: the application asks for `@project/set/prompt` with a unit key (`{ userId }`),
 * the SDK assigns the unit a variant (`assignVariant`), renders that variant's target instead, and records the
 * variant's key and the experiment's id in the usage events (`variant` and `experiment` of `RenderEvent` and
 * `OutcomeEvent`) so `experimentResults` can compare the variants' outcome metric.
 *
 * Definitions are published as part of the registry metadata and copied into the lock file when pulled, so a
 * locked application keeps assigning with the definition it was pulled with. `version` counts the definition's
 * revisions (it is not the set's version): a reader keeps the highest one it has seen.
 */

/** Most variants an experiment may have (and the least: a control and one alternative). */
export const EXPERIMENT_LIMITS = { minVariants: 2, maxVariants: 10, maxNameLength: 200 } as const;

/**
 * What a variant renders: a published version of the experiment's set (`{ version: '1.4.0' }`, the experiment's
 * prompt as that version has it), or another prompt of the set (`{ prompt: 'greeting-short' }`, at the version
 * the application resolves). The control is usually `{ prompt: <the experiment's own prompt> }`: what the
 * application would have rendered without the experiment.
 */
export type VariantTarget = { version: string } | { prompt: string };

export interface Variant {
  /** Stable within the experiment, recorded in usage events: `control`, `short`, `b`. */
  key: string;
  /** Positive; shares are `weight / sum of weights` (`1, 1` and `50, 50` are the same split). */
  weight: number;
  target: VariantTarget;
}

export type MetricKind = 'rate' | 'mean';

export interface OutcomeMetric {
  /** The custom outcome metric's name as the application reports it (`OutcomeEvent.metrics`): `resolved`. */
  name: string;
  /** `rate`: a 0/1 metric (share of successes); `mean`: any number (average score, latency). */
  kind: MetricKind;
}

export type ExperimentStatus = 'running' | 'stopped';

export interface Experiment {
  /** Stable id; the default salt, so renaming an experiment never reshuffles its units. */
  id: string;
  name: string;
  /** `@project/set/prompt` (no version: the experiment applies to whatever version the application resolves). */
  prompt: string;
  status: ExperimentStatus;
  /** The winning variant's key; present exactly when `status` is `stopped`, and then every unit gets it. */
  winner?: string;
  /** In a fixed order: the first is the control, and bucket ranges are laid out in this order. */
  variants: Variant[];
  /** Name of the unit key the application passes: `userId`, `sessionId`. */
  unit: string;
  metric: OutcomeMetric;
  /** Mixed into the hash; the id unless set. Two experiments with different salts split independently. */
  salt: string;
  /** Revision of this definition, from 1; each publish of a change increments it. */
  version: number;
}

const PromptAddress = z.string().superRefine((value, ctx) => {
  const parsed = tryParseAddress(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.error.message });
    return;
  }
  if (parsed.value.prompt === undefined)
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" names a set; an experiment applies to one prompt (@project/set/prompt)`,
    });
  else if (parsed.value.selector.kind !== 'none')
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" has a version; an experiment's prompt is written without one (@project/set/prompt)`,
    });
});

const TargetSchema = z
  .object({ version: SemverNumber.optional(), prompt: Name.optional() })
  .strict()
  .superRefine((t, ctx) => {
    if ((t.version === undefined) === (t.prompt === undefined))
      ctx.addIssue({
        code: 'custom',
        message: 'a target is either { "version": "1.2.0" } or { "prompt": "other-prompt" }, exactly one of them',
      });
  })
  .transform((t): VariantTarget => (t.version !== undefined ? { version: t.version } : { prompt: t.prompt ?? '' }));

const Weight = z
  .number({ message: 'a weight is a positive finite number' })
  .refine((w) => Number.isFinite(w) && w > 0, { message: 'a weight is a positive finite number' });

const VariantSchema = z.object({ key: Name, weight: Weight, target: TargetSchema }).strict();

const UnitName = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'the unit key name is an identifier such as "userId" or "sessionId"');

const MetricName = z
  .string()
  .min(1, 'the metric name cannot be empty')
  .max(64, 'a metric name has at most 64 characters (as outcome metrics do)');

export const ExperimentSchema = z
  .object({
    id: Id,
    name: z.string().trim().min(1, 'the name cannot be empty').max(EXPERIMENT_LIMITS.maxNameLength),
    prompt: PromptAddress,
    status: z.enum(['running', 'stopped']),
    winner: Name.optional(),
    variants: z
      .array(VariantSchema)
      .min(EXPERIMENT_LIMITS.minVariants, `an experiment has at least ${EXPERIMENT_LIMITS.minVariants} variants`)
      .max(EXPERIMENT_LIMITS.maxVariants, `an experiment has at most ${EXPERIMENT_LIMITS.maxVariants} variants`),
    unit: UnitName,
    metric: z.object({ name: MetricName, kind: z.enum(['rate', 'mean']) }).strict(),
    salt: Id.optional(),
    version: z.number().int('the version is a whole number').min(1, 'the version counts from 1'),
  })
  .strict()
  .superRefine((e, ctx) => {
    const seen = new Map<string, number>();
    e.variants.forEach((v, i) => {
      const first = seen.get(v.key);
      if (first !== undefined)
        ctx.addIssue({
          code: 'custom',
          path: ['variants', i, 'key'],
          message: `"${v.key}" is already the key of variants[${first}]; keys are unique`,
        });
      else seen.set(v.key, i);
    });
    if (e.status === 'stopped' && e.winner === undefined)
      ctx.addIssue({ code: 'custom', path: ['winner'], message: 'a stopped experiment names its winning variant' });
    if (e.status === 'running' && e.winner !== undefined)
      ctx.addIssue({ code: 'custom', path: ['winner'], message: 'a running experiment has no winner yet' });
    if (e.winner !== undefined && !seen.has(e.winner))
      ctx.addIssue({
        code: 'custom',
        path: ['winner'],
        message: `"${e.winner}" is not one of the variants (${[...seen.keys()].join(', ')})`,
      });
  })
  .transform((e): Experiment => {
    const out: Experiment = {
      id: e.id,
      name: e.name,
      prompt: e.prompt,
      status: e.status,
      variants: e.variants,
      unit: e.unit,
      metric: e.metric,
      salt: e.salt ?? e.id,
      version: e.version,
    };
    if (e.winner !== undefined) out.winner = e.winner;
    return out;
  });

/** The definition as written (salt optional), before `parseExperiment` fills the defaults. */
export type ExperimentInput = z.input<typeof ExperimentSchema>;

/** A zod issue path as the rest of the repo writes it: `variants[1].target.version`. */
function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += `${out ? '.' : ''}${String(key)}`;
  }
  return out || '(the experiment)';
}

export interface ExperimentIssue {
  /** `variants[1].weight`, `winner`, … */
  path: string;
  message: string;
}

function issuesOf(error: z.ZodError): ExperimentIssue[] {
  return error.issues.map((i) => ({ path: fieldPath(i.path), message: i.message }));
}

function invalid(where: string, issues: ExperimentIssue[]): Result<never> {
  const first = issues[0] as ExperimentIssue;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return {
    ok: false,
    error: {
      code: 'invalid_experiment',
      message: `${where}: ${first.path}: ${first.message}${more}`,
      path: first.path,
      details: { issues },
    },
  };
}

/** Every problem of a definition, each naming its field, or the experiment with its defaults filled in. */
export function checkExperiment(raw: unknown): Result<Experiment> {
  const parsed = ExperimentSchema.safeParse(raw);
  return parsed.success ? { ok: true, value: parsed.data } : invalid('experiment', issuesOf(parsed.error));
}

/** Validates a definition; throws `invalid_experiment` naming the first bad field (all of them in `details`). */
export function parseExperiment(raw: unknown): Experiment {
  const result = checkExperiment(raw);
  if (!result.ok) throw new AnvilError(result.error);
  return result.value;
}

/**
 * The experiments of a package, as its metadata or a lock file carries them: the current experiment of each
 * prompt (running, or stopped with its winner still served). Ids are unique and a prompt has at most one, so
 * the SDK never has to choose; past experiments live on in the studio, not here.
 */
export function checkExperimentList(raw: unknown): Result<Experiment[]> {
  if (!Array.isArray(raw)) return invalid('experiments', [{ path: '(the list)', message: 'not a list' }]);
  const out: Experiment[] = [];
  const ids = new Set<string>();
  const byPrompt = new Map<string, string>();
  for (const [i, item] of raw.entries()) {
    const parsed = ExperimentSchema.safeParse(item);
    if (!parsed.success)
      return invalid(
        'experiments',
        issuesOf(parsed.error).map((x) => ({ ...x, path: x.path.startsWith('(') ? `[${i}]` : `[${i}].${x.path}` })),
      );
    const e = parsed.data;
    if (ids.has(e.id)) return invalid('experiments', [{ path: `[${i}].id`, message: `"${e.id}" is used twice` }]);
    const other = byPrompt.get(e.prompt);
    if (other !== undefined)
      return invalid('experiments', [
        { path: `[${i}].prompt`, message: `${e.prompt} already has an experiment ("${other}"); a prompt has one` },
      ]);
    ids.add(e.id);
    byPrompt.set(e.prompt, e.id);
    out.push(e);
  }
  return { ok: true, value: out };
}

/** The experiment of a prompt (`@p/s/prompt`), if the list has one. */
export function experimentFor(list: readonly Experiment[], prompt: string): Experiment | undefined {
  return list.find((e) => e.prompt === prompt);
}
