import { AnvilError } from '../../../shared/domain';

/**
 * Notices: short messages in the corner (failed operations, `app:error` events, confirmations). A tiny store
 * outside React so anything (command runs, data hooks, event listeners) can post one without a context.
 */
export interface Notice {
  id: number;
  kind: 'error' | 'info' | 'ok';
  title: string;
  message: string;
  code?: string;
  /** Stays until dismissed, like an error (something the person must read, e.g. a set renamed by sync). */
  sticky?: boolean;
  /** One follow-up, e.g. "Undo" after moving something to the trash. */
  action?: { label: string; run(): void };
}

let notices: Notice[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const MAX = 5;

function emit(): void {
  for (const l of listeners) l();
}

export function notify(notice: Omit<Notice, 'id'>): number {
  const id = nextId++;
  // The same message again replaces the old one instead of stacking (a retry loop must not flood the screen).
  notices = [...notices.filter((n) => n.message !== notice.message || n.kind !== notice.kind), { ...notice, id }];
  if (notices.length > MAX) notices = notices.slice(-MAX);
  emit();
  return id;
}

/** Posts an error notice for anything thrown (an AnvilError keeps its code and message). */
export function notifyError(err: unknown, title = 'Something went wrong'): number {
  if (err instanceof AnvilError) return notify({ kind: 'error', title, message: err.message, code: err.code });
  const message = err instanceof Error ? err.message : String(err);
  return notify({ kind: 'error', title, message });
}

export function dismiss(id: number): void {
  notices = notices.filter((n) => n.id !== id);
  emit();
}

export function subscribeNotices(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function currentNotices(): Notice[] {
  return notices;
}
