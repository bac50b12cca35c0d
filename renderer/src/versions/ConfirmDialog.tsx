import * as Dialog from '@radix-ui/react-dialog';
import type { ReactNode } from 'react';
import { useState } from 'react';
import '../components/dialog.css';

export interface ConfirmDialogProps {
  open: boolean;
  onOpenChange(open: boolean): void;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  /** Shown on the button while `onConfirm` runs (e.g. "Restoring…"). */
  busyLabel: string;
  /** Rejections are shown in the dialog, which stays open; on success it closes. */
  onConfirm(): Promise<void>;
}

/** A question before something that replaces what the user has (a restore): Cancel has the focus by default. */
export function ConfirmDialog(props: ConfirmDialogProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.onConfirm();
      props.onOpenChange(false);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog.Root
      open={props.open}
      onOpenChange={(open) => {
        if (!open) setError(null);
        props.onOpenChange(open);
      }}
    >
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog" aria-describedby="confirm-dialog-body">
          <Dialog.Title className="dialog-title">{props.title}</Dialog.Title>
          <div id="confirm-dialog-body">{props.children}</div>
          {error && (
            <p role="alert" className="field-error">
              {error}
            </p>
          )}
          <div className="dialog-actions">
            <Dialog.Close asChild>
              <button type="button" autoFocus>
                Cancel
              </button>
            </Dialog.Close>
            <button type="button" className="primary" disabled={busy} onClick={() => void confirm()}>
              {busy ? props.busyLabel : props.confirmLabel}
            </button>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
