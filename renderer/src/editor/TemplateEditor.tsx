import { useEffect, useRef } from 'react';
import type { editor } from 'monaco-editor/editor/editor.api';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { monaco } from '../monaco';
import { bindCollaboration } from './collab-binding';
import type { ModelInfo } from './liquid-monaco';
import { LIQUID_ID, attachModelInfo, registerLiquid } from './liquid-monaco';
import type { Problem } from './problems';

const SEVERITY = { error: 8, warning: 4, info: 2 } as const; // monaco.MarkerSeverity values

export interface TemplateEditorProps {
  /** The Y.Text this editor edits (a text prompt's template, or one chat message's content). */
  text: Y.Text;
  /** Accessible name of the editing area, e.g. "Template" or "Message 2 (user)". */
  label: string;
  /** Problems of this template (already debounced by the caller). */
  problems: readonly Problem[];
  info: ModelInfo;
  /** The document's presence: colleagues' cursors are drawn, and ours published while this editor has focus. */
  awareness?: Awareness | null;
  /** Grow with the content instead of filling the pane (chat messages). */
  autoHeight?: boolean;
  onReady?(ed: editor.IStandaloneCodeEditor): void;
  onDispose?(ed: editor.IStandaloneCodeEditor): void;
}

/**
 * Monaco on one Y.Text through y-monaco: keystrokes change the replica directly (and so the preview at once),
 * remote changes land in the editor without moving the cursor, colleagues' cursors are drawn with their names,
 * and undo takes back only this person's edits. Markers come from the engine's problems.
 */
export function TemplateEditor(props: TemplateEditorProps) {
  const { text, label, problems, info, autoHeight, onReady, onDispose } = props;
  const awareness = props.awareness ?? null;
  const host = useRef<HTMLDivElement>(null);
  const editorRef = useRef<editor.IStandaloneCodeEditor | null>(null);
  const infoRef = useRef(info);
  infoRef.current = info;
  const callbacks = useRef({ onReady, onDispose });
  callbacks.current = { onReady, onDispose };

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    registerLiquid();
    const model = monaco.editor.createModel(text.toString(), LIQUID_ID);
    const ed = monaco.editor.create(el, {
      model,
      ariaLabel: label,
      // The hidden textarea, not Chromium's EditContext: y-monaco, screen readers and test drivers all know
      // the textarea, and EditContext leaves an unlabelled decoy textarea that swallows focus.
      editContext: false,
      automaticLayout: true,
      minimap: { enabled: false },
      wordWrap: 'on',
      fontSize: 13,
      lineNumbers: 'on',
      scrollBeyondLastLine: false,
      renderLineHighlight: 'line',
      tabSize: 2,
      fixedOverflowWidgets: true,
      quickSuggestions: { other: true, comments: false, strings: false },
      suggestOnTriggerCharacters: true,
      bracketPairColorization: { enabled: false },
      matchBrackets: 'always',
      folding: true,
      scrollbar: { alwaysConsumeMouseWheel: !autoHeight },
      // Room above the first line for a colleague's name label over their cursor.
      padding: { top: 14 },
    });
    // y-monaco, colleagues' cursors, and undo of only what was typed here.
    const binding = bindCollaboration(ed, model, text, awareness);
    const detach = attachModelInfo(model, { parameters: () => infoRef.current.parameters() });
    editorRef.current = ed;
    let sizer: { dispose(): void } | null = null;
    if (autoHeight) {
      const fit = () => {
        const height = Math.min(600, Math.max(60, ed.getContentHeight()));
        el.style.height = `${height}px`;
        ed.layout();
      };
      sizer = ed.onDidContentSizeChange(fit);
      fit();
    }
    callbacks.current.onReady?.(ed);
    return () => {
      callbacks.current.onDispose?.(ed);
      sizer?.dispose();
      detach();
      binding.dispose();
      ed.dispose();
      model.dispose();
      editorRef.current = null;
    };
    // The label is applied by the effect below; recreating the editor for it would lose cursor and undo.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [text, autoHeight, awareness]);

  useEffect(() => {
    editorRef.current?.updateOptions({ ariaLabel: label });
  }, [label]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    monaco.editor.setModelMarkers(
      model,
      'anvil',
      problems
        .filter((p) => p.line !== undefined)
        .map((p) => ({
          severity: SEVERITY[p.severity],
          message: p.message,
          code: p.code,
          startLineNumber: p.line ?? 1,
          startColumn: p.column ?? 1,
          endLineNumber: p.endLine ?? p.line ?? 1,
          endColumn: p.endColumn ?? (p.column ?? 1) + 1,
        })),
    );
  }, [problems]);

  return <div ref={host} className={autoHeight ? 'template-editor auto' : 'template-editor'} data-label={label} />;
}
