/** Codes of what reconciliation and partial checks find; stable, like error codes. */
export type ParamIssueCode =
  | 'undeclared_parameter'
  | 'unused_parameter'
  | 'type_conflict'
  | 'missing_partial_argument'
  | 'unknown_partial_argument'
  | 'partial_not_found'
  | 'partial_error';

/** Where in a prompt: line and column (1-based) in a template; `source` is the chat message's index. */
export interface SourceLocation {
  line: number;
  column: number;
  source?: number;
}

export interface ParamIssue {
  code: ParamIssueCode;
  /** The parameter (or partial argument) the issue is about. */
  name: string;
  message: string;
  line?: number;
  column?: number;
  source?: number;
}
