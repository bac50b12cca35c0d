import type { VersionSync } from '../../../shared/domain';
import './versions.css';

/** Words for where a version stands with the team's server; none for a version that never met one. */
export function versionSyncText(sync: VersionSync | undefined): { label: string; detail: string } | null {
  switch (sync?.state) {
    case undefined:
    case 'local':
      return null;
    case 'pending':
      return {
        label: 'Not shared yet',
        detail: sync.lastError
          ? `Saved here; the server has not accepted it yet: ${sync.lastError}`
          : 'Saved here; sent to the server when sync is connected.',
      };
    case 'accepted':
      return { label: 'Shared', detail: 'The server accepted this version: the team has it.' };
    case 'clash':
      return {
        label: 'Number taken',
        detail: sync.clashWith
          ? `${sync.clashWith.author} saved this number on the server first (${sync.clashWith.createdAt}). This version is kept here: save it under another number.`
          : 'Someone else saved this number on the server first. This version is kept here: save it under another number.',
      };
    case 'replaced':
      return {
        label: 'Saved again',
        detail: `After a clash this content was saved again${sync.replacedBy ? ' under another number' : ''}; this row stays as it was.`,
      };
    case 'team':
      return { label: 'From the team', detail: 'Saved by a colleague and received from the server.' };
  }
}

/** A version's sync state as a badge: the word is always there, the colour only helps. */
export function VersionSyncBadge({ sync }: { sync: VersionSync | undefined }) {
  const text = versionSyncText(sync);
  if (!text || !sync) return null;
  return (
    <span className={`sync-badge sync-${sync.state}`} title={text.detail}>
      {text.label}
    </span>
  );
}
