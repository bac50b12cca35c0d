import { useEffect, useRef } from 'react';
import type { editor } from 'monaco-editor/editor/editor.api';
import { monaco } from '../monaco';
import { LIQUID_ID, registerLiquid } from '../editor/liquid-monaco';

/** What the compare screen can do with one diff editor: count its changes and move between them. */
export interface DiffHandle {
  /** Changes found by Monaco's diff (0 until computed). */
  changeCount(): number;
  /** The change the cursor is on or just before, or null when the cursor is after the last one. */
  changeAtCursor(): number | null;
  /** Puts the cursor on change `index` (0-based), scrolls it into view and focuses the editor. */
  goTo(index: number): void;
}

export interface DiffEditorProps {
  before: string;
  after: string;
  /** Names the two sides for screen readers, e.g. "greeting, 1.0.0" / "greeting, Draft". */
  beforeLabel: string;
  afterLabel: string;
  /** Side by side, or inline (one column with removed lines above added ones). */
  sideBySide: boolean;
  /** Called with the handle once the editor exists, with null when it goes. */
  onHandle?(handle: DiffHandle | null): void;
  /** The diff was computed (or recomputed): the number of changes. */
  onDiff?(changes: number): void;
  /** The user put the cursor in this editor. */
  onFocus?(): void;
  /** A click on a line number (the review screen anchors a comment there); its side and 1-based line. */
  onLineClick?: ((side: 'before' | 'after', line: number) => void) | undefined;
}

const MAX_HEIGHT = 560;
const MIN_HEIGHT = 60;

/** The modified side's line where a change starts (a pure deletion sits after `modifiedStartLineNumber`). */
function lineOf(c: editor.ILineChange): number {
  return Math.max(1, c.modifiedStartLineNumber);
}

/**
 * Monaco's diff editor over two read-only texts, highlighted as Liquid with the studio's editor theme. Unchanged
 * regions fold away so long prompts show their changes, and the height follows the content up to a cap. Monaco
 * computes the diff in its worker with its own time limit, so a huge pair never blocks typing elsewhere.
 */
export function DiffEditor(props: DiffEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const diffRef = useRef<editor.IStandaloneDiffEditor | null>(null);
  const callbacks = useRef(props);
  callbacks.current = props;

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    registerLiquid();
    const original = monaco.editor.createModel(props.before, LIQUID_ID);
    const modified = monaco.editor.createModel(props.after, LIQUID_ID);
    const diff = monaco.editor.createDiffEditor(el, {
      readOnly: true,
      originalEditable: false,
      renderSideBySide: props.sideBySide,
      useInlineViewWhenSpaceIsLimited: false,
      automaticLayout: true,
      editContext: false,
      minimap: { enabled: false },
      wordWrap: 'on',
      diffWordWrap: 'on',
      fontSize: 13,
      scrollBeyondLastLine: false,
      renderOverviewRuler: false,
      bracketPairColorization: { enabled: false },
      renderMarginRevertIcon: false,
      renderGutterMenu: false,
      hideUnchangedRegions: { enabled: true, contextLineCount: 3, minimumLineCount: 5, revealLineCount: 20 },
      // Monaco's own bound: a pathological pair stops diffing after this long and shows what it has.
      maxComputationTime: 2000,
      originalAriaLabel: props.beforeLabel,
      modifiedAriaLabel: props.afterLabel,
      scrollbar: { alwaysConsumeMouseWheel: false },
    });
    diff.setModel({ original, modified });
    diffRef.current = diff;

    const fit = () => {
      const height = Math.max(diff.getOriginalEditor().getContentHeight(), diff.getModifiedEditor().getContentHeight());
      el.style.height = `${Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, height + 2))}px`;
    };
    const changes = () => diff.getLineChanges() ?? [];
    const lineClick = (side: 'before' | 'after', e: editor.IEditorMouseEvent) => {
      const gutter = [
        monaco.editor.MouseTargetType.GUTTER_LINE_NUMBERS,
        monaco.editor.MouseTargetType.GUTTER_GLYPH_MARGIN,
        monaco.editor.MouseTargetType.GUTTER_LINE_DECORATIONS,
      ];
      const line = e.target.position?.lineNumber;
      if (line && gutter.includes(e.target.type)) callbacks.current.onLineClick?.(side, line);
    };
    const handle: DiffHandle = {
      changeCount: () => changes().length,
      changeAtCursor: () => {
        const line = diff.getModifiedEditor().getPosition()?.lineNumber ?? 1;
        const list = changes();
        const i = list.findIndex((c) => Math.max(lineOf(c), c.modifiedEndLineNumber) >= line);
        return i === -1 ? null : i;
      },
      goTo: (index) => {
        const c = changes()[index];
        if (!c) return;
        const ed = diff.getModifiedEditor();
        const line = lineOf(c);
        el.scrollIntoView({ block: 'nearest' });
        ed.setPosition({ lineNumber: line, column: 1 });
        ed.revealLineInCenterIfOutsideViewport(line);
        ed.focus();
      },
    };
    const subs = [
      diff.getOriginalEditor().onDidContentSizeChange(fit),
      diff.getModifiedEditor().onDidContentSizeChange(fit),
      diff.onDidUpdateDiff(() => {
        fit();
        callbacks.current.onDiff?.(changes().length);
      }),
      diff.getModifiedEditor().onDidFocusEditorText(() => callbacks.current.onFocus?.()),
      diff.getOriginalEditor().onDidFocusEditorText(() => callbacks.current.onFocus?.()),
      diff.getOriginalEditor().onMouseDown((e) => lineClick('before', e)),
      diff.getModifiedEditor().onMouseDown((e) => lineClick('after', e)),
    ];
    fit();
    callbacks.current.onHandle?.(handle);
    return () => {
      callbacks.current.onHandle?.(null);
      for (const s of subs) s.dispose();
      diff.dispose();
      original.dispose();
      modified.dispose();
      diffRef.current = null;
    };
    // Labels and layout are applied by the effects below; a new pair of texts is a new editor.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.before, props.after]);

  useEffect(() => {
    diffRef.current?.updateOptions({ renderSideBySide: props.sideBySide });
  }, [props.sideBySide]);

  useEffect(() => {
    diffRef.current?.getOriginalEditor().updateOptions({ ariaLabel: props.beforeLabel });
    diffRef.current?.getModifiedEditor().updateOptions({ ariaLabel: props.afterLabel });
  }, [props.beforeLabel, props.afterLabel]);

  return (
    <div
      ref={host}
      className={props.onLineClick ? 'diff-editor commentable' : 'diff-editor'}
      role="group"
      aria-label={`Diff: ${props.beforeLabel} → ${props.afterLabel}`}
      data-layout={props.sideBySide ? 'side-by-side' : 'inline'}
    />
  );
}
