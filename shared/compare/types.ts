import type { ChangeClassification, ChangeReason } from '../semver';
import type { Parameter } from '../domain';

/**
 * The structured comparison of two versions of a prompt set: what the version history UI draws side by side,
 * and what `unifiedDiff` prints. Plain data (JSON-serialisable), so it can cross the contract unchanged.
 */

export interface TextStats {
  linesAdded: number;
  linesRemoved: number;
  wordsAdded: number;
  wordsRemoved: number;
}

export interface DiffHunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** unified-diff lines with their ' ', '-', '+' prefix */
  lines: string[];
}

export interface TextComparison {
  before: string;
  after: string;
  /** equal; diff (hunks computed); replaced (too different or too large to diff within the limits: shown whole) */
  mode: 'equal' | 'diff' | 'replaced';
  hunks: DiffHunk[];
  stats: TextStats;
}

export type EntryStatus = 'added' | 'removed' | 'changed' | 'unchanged';

export interface MessageComparison {
  status: EntryStatus;
  beforeIndex: number | null;
  afterIndex: number | null;
  /** The message's role; `history` for the history placeholder (whose text is its name). */
  beforeRole: string | null;
  afterRole: string | null;
  text: TextComparison;
}

export type ParameterField = 'type' | 'required' | 'default' | 'description' | 'enum';

export interface ParameterChange {
  name: string;
  status: 'added' | 'removed' | 'changed';
  fields: { field: ParameterField; before: unknown; after: unknown }[];
  before: Parameter | null;
  after: Parameter | null;
}

export interface MetadataChange {
  field: string;
  before: unknown;
  after: unknown;
}

export interface PromptComparison {
  promptId: string;
  status: EntryStatus;
  name: string;
  /** set when the prompt was renamed */
  previousName: string | null;
  kind: 'text' | 'chat';
  /** text prompts */
  template: TextComparison | null;
  /** chat prompts, message by message */
  messages: MessageComparison[] | null;
  parameters: ParameterChange[];
  metadata: MetadataChange[];
  stats: TextStats;
  reasons: ChangeReason[];
}

export interface SetComparison {
  prompts: PromptComparison[];
  /** set-level: description, dependencies */
  set: MetadataChange[];
  /** Counts partition the prompts: a renamed prompt counts as renamed only, even when also changed. */
  summary: {
    added: number;
    removed: number;
    renamed: number;
    changed: number;
    unchanged: number;
    stats: TextStats;
  };
  classification: ChangeClassification;
}

export interface CompareOptions {
  /** diff's maxEditLength per text (default chosen so 5,000-line pairs with 5% change diff fully) */
  maxEditLength?: number;
  /** per-text time budget in ms (diff's `timeout`), default ~200 */
  timeoutMs?: number;
  /** the whole comparison's budget in ms (default 3,000): texts not yet compared past it are shown as replaced */
  totalTimeoutMs?: number;
}
