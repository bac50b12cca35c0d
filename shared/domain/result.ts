/**
 * Errors cross every boundary as values with a code and a message a person understands; `line`/`column`
 * (1-based) point into a template when the error comes from one.
 */
export interface AnvilErrorInfo {
  code: string;
  message: string;
  line?: number;
  column?: number;
  /** Where in a structure (prompt name, parameter path) the problem is. */
  path?: string;
  details?: unknown;
}

export class AnvilError extends Error {
  readonly code: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly path: string | undefined;
  readonly details: unknown;

  constructor(info: AnvilErrorInfo) {
    super(info.message);
    this.name = 'AnvilError';
    this.code = info.code;
    this.line = info.line;
    this.column = info.column;
    this.path = info.path;
    this.details = info.details;
  }

  toJSON(): AnvilErrorInfo {
    const out: AnvilErrorInfo = { code: this.code, message: this.message };
    if (this.line !== undefined) out.line = this.line;
    if (this.column !== undefined) out.column = this.column;
    if (this.path !== undefined) out.path = this.path;
    if (this.details !== undefined) out.details = this.details;
    return out;
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AnvilErrorInfo };
