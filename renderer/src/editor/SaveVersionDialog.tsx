import * as Dialog from '@radix-ui/react-dialog';
import { useEffect, useState } from 'react';
import type { PromptSetContent, VersionInfo } from '../../../shared/domain';
import { AnvilError } from '../../../shared/domain';
import { FIRST_VERSION, classifyChange, suggestNextVersion } from '../../../shared/semver';
import { useApi } from '../api';

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

/**
 * Save a version of the set: the number suggested by the semver rules from the change since the last version
 * (breaking → major), and a changelog. The versions screen extends this later (override reasons, diffs).
 */
export function SaveVersionDialog(props: SaveVersionDialogProps) {
  const api = useApi();
  const [version, setVersion] = useState('');
  const [changelog, setChangelog] = useState('');
  const [hint, setHint] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!props.open) return;
    let live = true;
    setError(null);
    setChangelog('');
    setHint('Working out the next version…');
    (async () => {
      const versions = await api.invoke('versions:list', { setId: props.setId });
      if (versions.length === 0) return { next: FIRST_VERSION, why: 'the first version of this set' };
      const last = versions.reduce((a, b) => (a.createdAt > b.createdAt ? a : b));
      const prev = await api.invoke('versions:get', { setId: props.setId, version: last.version });
      const change = classifyChange(prev.content, props.draft());
      const next = suggestNextVersion(last.version, change.changeClass);
      return {
        next: next ?? '',
        why: next ? `${change.changeClass} change since ${last.version}` : `nothing changed since ${last.version}`,
      };
    })().then(
      ({ next, why }) => {
        if (!live) return;
        setVersion(next);
        setHint(why);
      },
      (e: unknown) => live && (setHint(''), setError(e instanceof Error ? e.message : String(e))),
    );
    return () => {
      live = false;
    };
  }, [props.open]); // eslint-disable-line react-hooks/exhaustive-deps

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.flush();
      const saved = await api.invoke('versions:save', { setId: props.setId, version, changelog });
      props.onSaved(saved);
      props.onOpenChange(false);
    } catch (e) {
      setError(e instanceof AnvilError || e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog.Root open={props.open} onOpenChange={props.onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog" aria-describedby="save-version-hint">
          <Dialog.Title>Save version</Dialog.Title>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void save();
            }}
          >
            <label htmlFor="save-version-number">Version</label>
            <input
              id="save-version-number"
              value={version}
              onChange={(e) => setVersion(e.currentTarget.value)}
              autoFocus
              required
            />
            <p id="save-version-hint" className="muted">
              {hint}
            </p>
            <label htmlFor="save-version-changelog">Changelog</label>
            <textarea
              id="save-version-changelog"
              rows={4}
              value={changelog}
              onChange={(e) => setChangelog(e.currentTarget.value)}
            />
            {error && (
              <p role="alert" className="field-problem">
                {error}
              </p>
            )}
            <div className="dialog-actions">
              <Dialog.Close asChild>
                <button type="button">Cancel</button>
              </Dialog.Close>
              <button type="submit" className="primary" disabled={busy || version === ''}>
                {busy ? 'Saving…' : 'Save version'}
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
