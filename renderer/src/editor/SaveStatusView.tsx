import type { SaveStatus } from './update-batcher';

/** Saving… / Saved / the error and when it retries, announced politely to screen readers. */
export function SaveStatusView({ status }: { status: SaveStatus }) {
  const text =
    status.state === 'saved'
      ? 'Saved'
      : status.state === 'error'
        ? `Not saved: ${status.message} (retrying in ${Math.ceil(status.retryInMs / 1000)} s)`
        : 'Saving…';
  return (
    <span className={`save-status ${status.state}`} role="status" aria-live="polite">
      {text}
    </span>
  );
}
