import { useEffect, useSyncExternalStore } from 'react';
import { useApi } from '../api';
import { AnvilError } from '../../../shared/domain';
import { currentNotices, dismiss, notify, subscribeNotices } from './notices';
import type { Notice } from './notices';
import './notices.css';

/** How long a notice stays; errors stay until dismissed (they may need reading twice). */
const INFO_MS = 6000;

/** The notice area: a live region in the corner, fed by `notify` and by the main process's `app:error` events. */
export function Notices() {
  const api = useApi();
  const list = useSyncExternalStore(subscribeNotices, currentNotices);

  useEffect(
    () =>
      api.on('app:error', (info) => {
        const err = new AnvilError(info);
        notify({ kind: 'error', title: 'The studio reported a problem', message: err.message, code: err.code });
      }),
    [api],
  );
  useEffect(
    () =>
      api.on('app:disconnected', ({ reason }) =>
        notify({
          kind: 'error',
          title: 'Disconnected from the studio',
          message: reason,
          action: { label: 'Reload', run: () => window.location.reload() },
        }),
      ),
    [api],
  );

  return (
    <section className="notices" aria-label="Notifications" aria-live="polite">
      {list.map((n) => (
        <NoticeItem key={n.id} notice={n} />
      ))}
    </section>
  );
}

function NoticeItem({ notice }: { notice: Notice }) {
  useEffect(() => {
    if (notice.kind === 'error' || notice.sticky) return;
    const timer = setTimeout(() => dismiss(notice.id), INFO_MS);
    return () => clearTimeout(timer);
  }, [notice]);
  return (
    <div className={`notice notice-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
      <div className="notice-body">
        <strong>{notice.title}</strong>
        <p>{notice.message}</p>
        {notice.code && <code className="notice-code">{notice.code}</code>}
      </div>
      {notice.action && (
        <button
          type="button"
          onClick={() => {
            notice.action?.run();
            dismiss(notice.id);
          }}
        >
          {notice.action.label}
        </button>
      )}
      <button
        type="button"
        className="icon-button"
        aria-label="Dismiss notification"
        onClick={() => dismiss(notice.id)}
      >
        ×
      </button>
    </div>
  );
}
