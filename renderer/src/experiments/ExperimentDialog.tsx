import * as Dialog from '@radix-ui/react-dialog';
import type { FormEvent, ReactNode } from 'react';
import { useEffect, useId, useMemo, useState } from 'react';
import type { ExperimentRecord } from '../../../shared/contract';
import { AnvilError } from '../../../shared/domain';
import type { ExperimentIssue } from '../../../shared/experiments';
import { EXPERIMENT_LIMITS } from '../../../shared/experiments';
import { useApi } from '../api';
import '../components/dialog.css';
import type { ExperimentDraft, VariantDraft } from './draft';
import { UNIT_SUGGESTIONS, definitionOf, draftIssues, idFromName, issuesAt, nextVariantKey, shares } from './draft';
import './experiments.css';

export interface ExperimentDialogProps {
  /** The form's starting point; null closes the dialog. */
  initial: ExperimentDraft | null;
  onClose(): void;
  onPublished(record: ExperimentRecord): void;
  /** `@project/set` */
  name: string;
  prompts: string[];
  versions: { version: string; prompts: string[]; deprecated: boolean }[];
  /** Ids in use (a new experiment's id is made from its name and must not take one). */
  takenIds: ReadonlySet<string>;
}

/**
 * Define an experiment, or its next revision: the prompt, the variants (a prompt of the set or a published
 * version each, with a weight and the share it comes to), the unit key the application passes and the outcome
 * metric. Every problem is shown beside its field as it is typed, by the same rules the server applies; the
 * server's own refusal (a running experiment already on the prompt, a change made meanwhile) is shown as it says.
 * Publishing puts the experiment in the package's metadata, where the SDK picks it up.
 */
export function ExperimentDialog(props: ExperimentDialogProps) {
  const api = useApi();
  const [draft, setDraft] = useState<ExperimentDraft | null>(props.initial);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [serverError, setServerError] = useState<{ message: string; issues: ExperimentIssue[] } | null>(null);
  const ids = { name: useId(), prompt: useId(), unit: useId(), units: useId(), metric: useId(), errors: useId() };

  useEffect(() => {
    setDraft(props.initial);
    setTouched(false);
    setServerError(null);
    setBusy(false);
  }, [props.initial]);

  const context = useMemo(
    () => ({ prompts: props.prompts, versions: props.versions }),
    [props.prompts, props.versions],
  );
  const issues = useMemo(
    () => (draft ? [...draftIssues(draft, props.name, context), ...(serverError?.issues ?? [])] : []),
    [draft, props.name, context, serverError],
  );
  if (!draft) return <Dialog.Root open={false} />;
  const editing = draft.baseVersion !== null;
  // Fields' problems show once the user has tried to publish or touched the field, not on an empty new form.
  const shown = (path: string) => (touched ? issuesAt(issues, path) : []);
  const update = (patch: Partial<ExperimentDraft>) => {
    setDraft({ ...draft, ...patch });
    setServerError(null);
  };
  const updateVariant = (i: number, patch: Partial<VariantDraft>) =>
    update({ variants: draft.variants.map((v, j) => (j === i ? { ...v, ...patch } : v)) });
  const share = shares(draft.variants);
  const versionsWithPrompt = props.versions.filter((v) => v.prompts.includes(draft.prompt));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (busy || issues.length > 0) return;
    setBusy(true);
    const id = draft.id || idFromName(draft.name, props.takenIds);
    try {
      const record = await api.invoke('experiments:save', {
        name: props.name,
        id,
        definition: definitionOf(draft, props.name, id) as unknown as Record<string, unknown>,
      });
      props.onPublished(record);
    } catch (err) {
      const details =
        err instanceof AnvilError ? (err.details as { issues?: ExperimentIssue[] } | undefined) : undefined;
      setServerError({
        message: err instanceof Error ? err.message : String(err),
        issues: Array.isArray(details?.issues) ? details.issues : [],
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog.Root open onOpenChange={(open) => !open && props.onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog experiment-dialog" aria-describedby={ids.errors}>
          <Dialog.Title className="dialog-title">
            {editing ? `Edit experiment "${draft.name}"` : 'New experiment'}
          </Dialog.Title>
          <form onSubmit={(e) => void submit(e)} className="experiment-form" noValidate>
            <Field id={ids.name} label="Name" problems={shown('name')}>
              <input
                id={ids.name}
                value={draft.name}
                autoFocus
                autoComplete="off"
                onChange={(e) => update({ name: e.currentTarget.value })}
              />
            </Field>
            <Field id={ids.prompt} label="Prompt" problems={shown('prompt')}>
              <select
                id={ids.prompt}
                value={draft.prompt}
                disabled={editing}
                onChange={(e) => update({ prompt: e.currentTarget.value })}
              >
                {!props.prompts.includes(draft.prompt) && <option value={draft.prompt}>{draft.prompt || '—'}</option>}
                {props.prompts.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            </Field>
            <div className="experiment-form-row">
              <Field id={ids.unit} label="Unit key" problems={shown('unit')}>
                <input
                  id={ids.unit}
                  value={draft.unit}
                  list={ids.units}
                  autoComplete="off"
                  spellCheck={false}
                  onChange={(e) => update({ unit: e.currentTarget.value })}
                />
                <datalist id={ids.units}>
                  {UNIT_SUGGESTIONS.map((u) => (
                    <option key={u} value={u} />
                  ))}
                </datalist>
              </Field>
              <Field id={ids.metric} label="Outcome metric" problems={shown('metric.name')}>
                <input
                  id={ids.metric}
                  value={draft.metricName}
                  autoComplete="off"
                  spellCheck={false}
                  onChange={(e) => update({ metricName: e.currentTarget.value })}
                />
              </Field>
              <fieldset className="experiment-metric-kind">
                <legend>Metric kind</legend>
                <label>
                  <input
                    type="radio"
                    name="metric-kind"
                    checked={draft.metricKind === 'rate'}
                    onChange={() => update({ metricKind: 'rate' })}
                  />{' '}
                  Rate (0 or 1)
                </label>
                <label>
                  <input
                    type="radio"
                    name="metric-kind"
                    checked={draft.metricKind === 'mean'}
                    onChange={() => update({ metricKind: 'mean' })}
                  />{' '}
                  Mean (any number)
                </label>
              </fieldset>
            </div>
            <p className="muted experiment-hint">
              The application passes <code>{`{ unitKey: ${draft.unit || 'userId'} }`}</code> to <code>get</code> and
              reports{' '}
              <code>{`metrics: { ${draft.metricName || 'resolved'}: ${draft.metricKind === 'rate' ? '0 or 1' : 'a number'} }`}</code>{' '}
              with <code>anvil.outcome</code>. The same key always gets the same variant.
            </p>
            <fieldset className="experiment-variants">
              <legend>Variants (the first is the control)</legend>
              {draft.variants.map((v, i) => (
                <VariantRow
                  key={i}
                  index={i}
                  variant={v}
                  share={share[i] ?? '—'}
                  prompts={props.prompts}
                  versions={versionsWithPrompt}
                  problems={(field) => shown(`variants[${i}]${field}`)}
                  onChange={(patch) => updateVariant(i, patch)}
                  onRemove={
                    draft.variants.length > EXPERIMENT_LIMITS.minVariants
                      ? () => update({ variants: draft.variants.filter((_, j) => j !== i) })
                      : null
                  }
                />
              ))}
              {shown('variants').length > 0 && shown('variants[').length === 0 && (
                <p className="field-error">{shown('variants')[0]}</p>
              )}
              <button
                type="button"
                disabled={draft.variants.length >= EXPERIMENT_LIMITS.maxVariants}
                onClick={() =>
                  update({
                    variants: [
                      ...draft.variants,
                      { key: nextVariantKey(draft.variants), weight: '1', kind: 'prompt', target: draft.prompt },
                    ],
                  })
                }
              >
                Add variant
              </button>
            </fieldset>
            <div id={ids.errors}>
              {serverError && (
                <p role="alert" className="field-error">
                  {serverError.message}
                </p>
              )}
              {touched && issues.length > 0 && !serverError && (
                <p role="alert" className="field-error">
                  {issues.length === 1 ? 'One problem to fix' : `${issues.length} problems to fix`} before publishing.
                </p>
              )}
              {!touched && (
                <p className="muted">
                  Publishing puts the experiment in {props.name}'s registry metadata: applications that follow it live
                  start assigning variants; locked ones after their next <code>anvil pull</code>.
                </p>
              )}
            </div>
            <div className="dialog-actions">
              <Dialog.Close asChild>
                <button type="button">Cancel</button>
              </Dialog.Close>
              <button type="submit" className="primary" disabled={busy}>
                {busy ? 'Publishing…' : editing ? 'Publish changes' : 'Publish experiment'}
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

function Field(props: { id: string; label: string; problems: string[]; children: ReactNode }) {
  const errorId = `${props.id}-error`;
  return (
    <div className="experiment-field" aria-describedby={props.problems.length ? errorId : undefined}>
      <label htmlFor={props.id}>{props.label}</label>
      {props.children}
      {props.problems.length > 0 && (
        <p id={errorId} className="field-error">
          {props.problems.join('; ')}
        </p>
      )}
    </div>
  );
}

function VariantRow(props: {
  index: number;
  variant: VariantDraft;
  share: string;
  prompts: string[];
  versions: { version: string; deprecated: boolean }[];
  problems(field: string): string[];
  onChange(patch: Partial<VariantDraft>): void;
  onRemove: (() => void) | null;
}) {
  const { variant: v, index: i } = props;
  const label = i === 0 ? 'control' : `variant ${i + 1}`;
  const problems = props.problems('');
  return (
    <div className="experiment-variant" role="group" aria-label={`Variant ${i + 1}${i === 0 ? ' (control)' : ''}`}>
      <label>
        Key
        <input
          value={v.key}
          aria-label={`Key of ${label}`}
          aria-invalid={props.problems('.key').length > 0 || undefined}
          spellCheck={false}
          onChange={(e) => props.onChange({ key: e.currentTarget.value })}
        />
      </label>
      <label>
        Weight
        <input
          value={v.weight}
          inputMode="decimal"
          aria-label={`Weight of ${label}`}
          aria-invalid={props.problems('.weight').length > 0 || undefined}
          onChange={(e) => props.onChange({ weight: e.currentTarget.value })}
        />
      </label>
      <span className="experiment-share" aria-label={`Share of ${label}`}>
        {props.share}
      </span>
      <label>
        Renders
        <select
          value={v.kind}
          aria-label={`What ${label} renders`}
          onChange={(e) => {
            const kind = e.currentTarget.value as VariantDraft['kind'];
            props.onChange({
              kind,
              target: kind === 'prompt' ? (props.prompts[0] ?? '') : (props.versions[0]?.version ?? ''),
            });
          }}
        >
          <option value="prompt">a prompt of the set</option>
          <option value="version">a published version</option>
        </select>
      </label>
      <label>
        {v.kind === 'prompt' ? 'Prompt' : 'Version'}
        <select
          value={v.target}
          aria-label={`${v.kind === 'prompt' ? 'Prompt' : 'Version'} of ${label}`}
          aria-invalid={props.problems('.target').length > 0 || undefined}
          onChange={(e) => props.onChange({ target: e.currentTarget.value })}
        >
          {v.kind === 'prompt'
            ? props.prompts.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))
            : props.versions.map((x) => (
                <option key={x.version} value={x.version}>
                  {x.version}
                  {x.deprecated ? ' (deprecated)' : ''}
                </option>
              ))}
          {v.target !== '' &&
            !(v.kind === 'prompt' ? props.prompts : props.versions.map((x) => x.version)).includes(v.target) && (
              <option value={v.target}>{v.target}</option>
            )}
        </select>
      </label>
      {props.onRemove ? (
        <button type="button" className="icon-button" aria-label={`Remove ${label}`} onClick={props.onRemove}>
          Remove
        </button>
      ) : (
        <span />
      )}
      {problems.length > 0 && <p className="field-error experiment-variant-error">{problems.join('; ')}</p>}
    </div>
  );
}
