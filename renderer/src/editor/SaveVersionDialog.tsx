import * as Dialog from '@radix-ui/react-dialog';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { PromptSetContent, VersionInfo } from '../../../shared/domain';
import { useApi } from '../api';
import { ChangeClassBadge, CodeText, ReasonList } from '../versions/ChangeClassBadge';
import { baseVersionFor, evaluateProposal, highestVersion, suggestVersion } from '../versions/save-check';
import '../versions/versions.css';

export interface SaveVersionDialogProps {
  open: boolean;
  setId: string;
  /** The draft as it is now (read when the dialog opens). */
  draft(): PromptSetContent;
  /** Makes pending edits durable before the version is taken. */
  flush(): Promise<void>;
  onOpenChange(open: boolean): void;
  onSaved(version: VersionInfo): void;
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Save a version of the set. The dialog says what the store will decide before it is asked: the change class
 * from the semver rules with every reason, the number they suggest, and, as the number is typed, whether
 * `checkProposedVersion` accepts it (classified against the release just below that number, as the store
 * does). A breaking change under a minor or patch number needs the override box and a reason, which the
 * store keeps with the version and in the audit log.
 */
export function SaveVersionDialog(props: SaveVersionDialogProps) {
  const api = useApi();
  const [existing, setExisting] = useState<string[] | null>(null);
  const [contents, setContents] = useState<ReadonlyMap<string, PromptSetContent>>(new Map());
  const [draft, setDraft] = useState<PromptSetContent | null>(null);
  const [version, setVersion] = useState('');
  const [changelog, setChangelog] = useState('');
  const [hint, setHint] = useState('');
  const [overrideOn, setOverrideOn] = useState(false);
  const [overrideReason, setOverrideReason] = useState('');
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const session = useRef(0);

  // Opening: read the draft and the versions, classify against the highest one and propose the next number.
  useEffect(() => {
    if (!props.open) return;
    const mine = ++session.current;
    const live = () => mine === session.current;
    const current = props.draft();
    setDraft(current);
    setExisting(null);
    setContents(new Map());
    setVersion('');
    setChangelog('');
    setOverrideOn(false);
    setOverrideReason('');
    setLoadError(null);
    setSaveError(null);
    setHint('Working out the next version…');
    (async () => {
      const versions = await api.invoke('versions:list', { setId: props.setId });
      const numbers = versions.map((v) => v.version);
      const last = highestVersion(numbers);
      const lastContent = last
        ? (await api.invoke('versions:get', { setId: props.setId, version: last })).content
        : null;
      return { numbers, last, lastContent };
    })().then(
      ({ numbers, last, lastContent }) => {
        if (!live()) return;
        const loaded = new Map<string, PromptSetContent>();
        if (last && lastContent) loaded.set(last, lastContent);
        const suggestion = suggestVersion(
          numbers,
          evaluateProposal({
            proposed: '',
            existing: numbers,
            baseContent: lastContent,
            draft: current,
            override: null,
          }).change,
        );
        setContents(loaded);
        setExisting(numbers);
        setVersion(suggestion.version);
        setHint(
          suggestion.version
            ? `Suggested ${suggestion.version}: ${suggestion.why}.`
            : `${suggestion.why.charAt(0).toUpperCase()}${suggestion.why.slice(1)}.`,
        );
      },
      (e: unknown) => {
        if (!live()) return;
        setHint('');
        setLoadError(message(e));
      },
    );
    const sessions = session;
    return () => {
      sessions.current++;
    };
  }, [props.open]); // eslint-disable-line react-hooks/exhaustive-deps

  // The version the typed number is measured from; its content is fetched when first needed.
  const base = existing ? baseVersionFor(version, existing) : null;
  const baseLoaded = base === null || contents.has(base);
  useEffect(() => {
    if (!props.open || base === null || contents.has(base)) return;
    const mine = session.current;
    api.invoke('versions:get', { setId: props.setId, version: base }).then(
      (v) => mine === session.current && setContents((m) => new Map(m).set(base, v.content)),
      (e: unknown) => mine === session.current && setLoadError(message(e)),
    );
  }, [api, base, contents, props.open, props.setId]);

  const state = useMemo(() => {
    if (!existing || !draft || !baseLoaded) return null;
    const baseContent = base === null ? null : (contents.get(base) ?? null);
    return evaluateProposal({
      proposed: version,
      existing,
      baseContent,
      draft,
      override: overrideOn ? overrideReason : null,
    });
  }, [existing, draft, baseLoaded, base, contents, version, overrideOn, overrideReason]);

  const overridden = state?.check.ok === true && state.check.overridden;
  const canSave = !busy && state !== null && state.check.ok && version !== '';

  const save = async () => {
    if (!canSave) return;
    setBusy(true);
    setSaveError(null);
    try {
      await props.flush();
      const saved = await api.invoke('versions:save', {
        setId: props.setId,
        version,
        changelog,
        override: overridden ? overrideReason.trim() : null,
      });
      props.onSaved(saved);
      props.onOpenChange(false);
    } catch (e) {
      setSaveError(message(e));
    } finally {
      setBusy(false);
    }
  };

  const problem = state && !state.check.ok && version !== '' ? state.check.error.message : null;
  const showOverride = state !== null && (state.overridable || overridden);
  const since = base ?? 'the empty set';

  return (
    <Dialog.Root open={props.open} onOpenChange={props.onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog save-version-dialog" aria-describedby="save-version-hint">
          <Dialog.Title className="dialog-title">Save version</Dialog.Title>
          <form
            className="dialog-form"
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            <section className="save-version-change" aria-label="Change summary">
              {state ? (
                <>
                  <p className="save-version-class">
                    <ChangeClassBadge changeClass={state.change.changeClass} />
                    <span>
                      {state.change.changeClass === 'none'
                        ? `Nothing changed since ${since}.`
                        : `${state.change.reasons.length} ${state.change.reasons.length === 1 ? 'change' : 'changes'} since ${since}`}
                    </span>
                  </p>
                  <ReasonList reasons={state.change.reasons} />
                </>
              ) : (
                !loadError && (
                  <p role="status" className="muted load-status">
                    <span className="spinner" aria-hidden="true" /> Classifying the change…
                  </p>
                )
              )}
            </section>
            <label htmlFor="save-version-number">Version</label>
            <input
              id="save-version-number"
              value={version}
              onChange={(e) => setVersion(e.currentTarget.value.trim())}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? 'save-version-problem' : 'save-version-hint'}
              autoComplete="off"
              spellCheck={false}
              autoFocus
              required
            />
            <p id="save-version-hint" className="muted">
              {hint}
            </p>
            {problem && (
              <p id="save-version-problem" role="alert" className="field-problem">
                <CodeText text={problem} />
              </p>
            )}
            {showOverride && (
              <div className="save-version-override">
                <label className="checkbox">
                  <input
                    type="checkbox"
                    checked={overrideOn}
                    onChange={(e) => setOverrideOn(e.currentTarget.checked)}
                  />
                  Publish this breaking change as {version} anyway (override)
                </label>
                {overrideOn && (
                  <>
                    <label htmlFor="save-version-override-reason">Reason for the override</label>
                    <textarea
                      id="save-version-override-reason"
                      rows={2}
                      value={overrideReason}
                      onChange={(e) => setOverrideReason(e.currentTarget.value)}
                      placeholder="Why consumers of the previous version are not broken"
                      required
                    />
                    <p className="muted">Kept with the version and in the audit log.</p>
                  </>
                )}
              </div>
            )}
            <label htmlFor="save-version-changelog">Changelog</label>
            <textarea
              id="save-version-changelog"
              rows={4}
              value={changelog}
              onChange={(e) => setChangelog(e.currentTarget.value)}
            />
            {(loadError ?? saveError) && (
              <p role="alert" className="field-problem">
                {loadError ?? saveError}
              </p>
            )}
            <div className="dialog-actions">
              <Dialog.Close asChild>
                <button type="button">Cancel</button>
              </Dialog.Close>
              <button type="submit" className="primary" disabled={!canSave}>
                {busy ? 'Saving…' : 'Save version'}
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
