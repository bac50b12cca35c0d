import * as Dialog from '@radix-ui/react-dialog';
import { useEffect, useState } from 'react';
import type { VersionInfo } from '../../../shared/domain';
import { useApi } from '../api';
import { notify } from '../notices/notices';
import { suggestRenumber } from './save-check';
import '../components/dialog.css';

export interface RenumberDialogProps {
  setId: string;
  /** The clashing version, or null when the dialog is closed. */
  version: VersionInfo | null;
  known: readonly string[];
  onClose(): void;
}

/**
 * After a clash: the same content under another number (`versions:renumber`). The store checks the number by
 * the same rules as a save; its answer is shown in place and the dialog stays open until it is accepted.
 */
export function RenumberDialog({ setId, version, known, onClose }: RenumberDialogProps) {
  const api = useApi();
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (version) setValue(suggestRenumber(version.version, known));
    setError(null);
    // Only when another version is picked: `known` changes as the team's versions arrive.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version?.id]);

  const submit = async () => {
    if (!version) return;
    setBusy(true);
    setError(null);
    try {
      const saved = await api.invoke('versions:renumber', {
        setId,
        version: version.version,
        newVersion: value.trim(),
      });
      notify({
        kind: 'ok',
        title: `Saved as ${saved.version}`,
        message: `The content of your ${version.version} is now ${saved.version}, sent to the server when sync is connected.`,
      });
      onClose();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog.Root open={version !== null} onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog" aria-describedby="renumber-dialog-body">
          <Dialog.Title className="dialog-title">Save {version?.version} under another number</Dialog.Title>
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <p id="renumber-dialog-body">
              A colleague saved {version?.version} on the server first. Your version stays here as it is; its content is
              saved again under the number you choose, and that one is shared.
            </p>
            <label htmlFor="renumber-version">New version number</label>
            <input
              id="renumber-version"
              value={value}
              autoFocus
              spellCheck={false}
              aria-invalid={error !== null}
              onChange={(e) => setValue(e.currentTarget.value)}
            />
            {error && (
              <p role="alert" className="field-error">
                {error}
              </p>
            )}
            <div className="dialog-actions">
              <Dialog.Close asChild>
                <button type="button">Cancel</button>
              </Dialog.Close>
              <button type="submit" className="primary" disabled={busy || value.trim() === ''}>
                {busy ? 'Saving…' : 'Save under this number'}
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
