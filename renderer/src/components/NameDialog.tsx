import * as Dialog from '@radix-ui/react-dialog';
import type { FormEvent } from 'react';
import { useEffect, useId, useState } from 'react';
import { AnvilError } from '../../../shared/domain';
import './dialog.css';

export interface NameDialogProps {
  open: boolean;
  onOpenChange(open: boolean): void;
  title: string;
  /** The input's label, e.g. "Project name". */
  label: string;
  initial?: string;
  submitLabel: string;
  description?: string;
  /** Does the work; a rejection (an AnvilError such as `invalid_name` or `name_taken`) is shown under the field. */
  onSubmit(name: string): Promise<void>;
}

/**
 * Create or rename something by name. The name is checked by the operation itself: its AnvilError message is
 * what the user reads, next to the field (aria-invalid + aria-describedby), and the dialog stays open to fix it.
 */
export function NameDialog(props: NameDialogProps) {
  const { open, onOpenChange, title, label, initial = '', submitLabel, description, onSubmit } = props;
  const [name, setName] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errorId = useId();
  const inputId = useId();

  useEffect(() => {
    if (open) {
      setName(initial);
      setError(null);
      setBusy(false);
    }
  }, [open, initial]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      await onSubmit(name.trim());
      onOpenChange(false);
    } catch (err) {
      setError(err instanceof AnvilError || err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog" {...(description ? {} : { 'aria-describedby': undefined })}>
          <Dialog.Title className="dialog-title">{title}</Dialog.Title>
          {description && <Dialog.Description className="muted dialog-description">{description}</Dialog.Description>}
          <form onSubmit={submit} className="dialog-form">
            <label htmlFor={inputId}>{label}</label>
            <input
              id={inputId}
              type="text"
              value={name}
              autoFocus
              autoComplete="off"
              spellCheck={false}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? errorId : undefined}
              onChange={(e) => {
                setName(e.target.value);
                setError(null);
              }}
            />
            {error && (
              <p id={errorId} className="field-error" role="alert">
                {error}
              </p>
            )}
            <div className="dialog-actions">
              <Dialog.Close asChild>
                <button type="button">Cancel</button>
              </Dialog.Close>
              <button type="submit" className="primary" disabled={busy}>
                {busy ? 'Saving…' : submitLabel}
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
