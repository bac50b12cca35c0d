import type { Migration } from './types';
import { m001Documents } from './001-documents';

/** Every schema step in order. Append only: a released migration is never edited or removed. */
export const MIGRATIONS: readonly Migration[] = [m001Documents];

export type { Migration } from './types';
