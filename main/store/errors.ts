import { AnvilError } from '../../shared/domain';

/** Store failures a person can act on: each names the file and says what to do. */
export function storeCorrupt(file: string, cause: string): AnvilError {
  return new AnvilError({
    code: 'store_corrupt',
    message: `The workspace database ${file} is damaged (${cause}). It was left untouched; restore it from a backup or move it aside to start afresh.`,
    path: file,
  });
}

export function storeTooNew(file: string, found: number, known: number): AnvilError {
  return new AnvilError({
    code: 'store_too_new',
    message: `The workspace database ${file} has schema version ${found}, newer than this Anvil understands (${known}). Update Anvil; the file was left untouched.`,
    path: file,
  });
}

export function diskFull(file: string): AnvilError {
  return new AnvilError({
    code: 'disk_full',
    message: `The disk holding ${file} is full, so the last change was not saved. Free some space and try again; everything saved before is intact.`,
    path: file,
  });
}

/** SQLite error codes that mean the file is not a usable database. */
export function isCorruption(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code ?? '';
  return (
    code === 'SQLITE_CORRUPT' ||
    code === 'SQLITE_NOTADB' ||
    code.startsWith('SQLITE_CORRUPT_') ||
    code.startsWith('SQLITE_IOERR_SHORT_READ')
  );
}

export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code ?? '';
  return code === 'SQLITE_FULL' || code.startsWith('SQLITE_IOERR_WRITE');
}
