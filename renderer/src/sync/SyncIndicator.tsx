import { useLocation } from 'wouter';
import { describeSync } from './describe';
import { useSyncStatus } from './useSyncStatus';
import './sync.css';

/** Where the indicator and the palette take people: the sync section of the settings. */
export const SYNC_SETTINGS_HREF = '/settings?section=sync';

/**
 * The shell's sync indicator: always visible in the header, one button (keyboard reachable) naming the state,
 * with the pending change count while syncing and the reason when offline or in error. It is a polite live
 * region, so a screen reader hears "Offline" or "Synced" when it changes. It opens the sync settings.
 */
export function SyncIndicator() {
  const status = useSyncStatus();
  const [, navigate] = useLocation();
  const d = status ? describeSync(status) : null;
  // One string (separate hidden spans would be joined with spaces): the reason is spoken with the state, not
  // the countdown of the title, which would be read every second.
  const reason = status?.reason && (status.state === 'offline' || status.state === 'error') ? `: ${status.reason}` : '';
  const name = `Sync status: ${d?.label ?? 'Sync…'}${reason}`;
  return (
    <div className="sync-indicator" aria-live="polite">
      <button
        type="button"
        className={`sync-indicator-button tone-${d?.tone ?? 'off'}`}
        data-state={d?.state ?? 'unknown'}
        title={d ? `${d.detail} Open the sync settings.` : 'Open the sync settings.'}
        aria-label={name}
        onClick={() => navigate(SYNC_SETTINGS_HREF)}
      >
        <span className="sync-dot" aria-hidden="true" />
        <span className="sync-label">{d?.label ?? 'Sync…'}</span>
      </button>
    </div>
  );
}
