import type { Migration } from './types';
import { m001Documents } from './001-documents';
import { m002Projection } from './002-projection';
import { m003VersionsAudit } from './003-versions-audit';
import { m004SyncState } from './004-sync-state';
import { m005VersionSync } from './005-version-sync';

/** Every schema step in order. Append only: a released migration is never edited or removed. */
export const MIGRATIONS: readonly Migration[] = [
  m001Documents,
  m002Projection,
  m003VersionsAudit,
  m004SyncState,
  m005VersionSync,
];

export type { Migration } from './types';
