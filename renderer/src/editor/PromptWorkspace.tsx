import type { editor } from 'monaco-editor/editor/editor.api';
import { memo, useCallback, useDeferredValue, useMemo, useRef } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { Group, Panel, Separator } from 'react-resizable-panels';
import { Link } from 'wouter';
import * as Y from 'yjs';
import { readPrompt } from '../../../shared/doc/read';
import type { ChatItem, ChatRole, Parameter, PromptSetContent } from '../../../shared/domain';
import { createEngine } from '../../../shared/template';
import { useApi } from '../api';
import { useCommands } from '../commands/registry';
import { notifyError } from '../notices/notices';
import type { Analysis } from './analysis';
import { analyzePrompt } from './analysis';
import { ChatEditor, messageLabel } from './ChatEditor';
import { draftResolver } from './draft-resolver';
import { markEditorReady } from './editor-ready';
import type { ModelInfo } from './liquid-monaco';
import { ParametersPanel } from './ParametersPanel';
import { PreviewPanel } from './PreviewPanel';
import { renderPreview } from './preview';
import type { Problem } from './problems';
import { nextProblem } from './problems';
import { ProblemsList } from './ProblemsList';
import type { PresenceUser } from './presence';
import { previewValues } from './samples';
import { TemplateEditor } from './TemplateEditor';
import { usePublishPresence } from './usePresence';
import { useDocVersion } from './useReplica';
import { useSamples } from './useSamples';
import { useSettled } from './useSettled';

/** One engine for the editor: its parse cache makes re-parsing the same template on every keystroke free. */
const engine = createEngine();

/** How long typing must pause before problems are marked (a half-typed `{% if` is not worth a red squiggle). */
const PROBLEMS_DELAY_MS = 250;

/** Which editor a problem or cursor is in: -1 for a text prompt's template, else the chat message's index. */
const slotOf = (source: number | undefined): number => source ?? -1;

export interface PromptWorkspaceProps {
  setId: string;
  doc: Y.Doc;
  promptId: string;
  /** Saved versions of the set's dependencies (for `render` of `@project/set/prompt`). */
  dependencies: Readonly<Record<string, PromptSetContent>>;
  dependencyProblems: readonly string[];
  previewOpen: boolean;
  /** The set document's presence (colleagues' cursors; ours while this prompt is open). */
  awareness: Awareness | null;
  /** Who we are to colleagues. */
  user: PresenceUser;
}

/**
 * The selected prompt: its editor (one Monaco for a text prompt, one per message for a chat prompt) over the
 * replica, the problems below it, and the parameters and live preview beside it. Everything reads the replica
 * directly, so the preview follows each keystroke; problems are marked once typing pauses.
 */
// Memoised: the screen around it re-renders on every save-status change, which must not re-render the editor.
export const PromptWorkspace = memo(function PromptWorkspace(props: PromptWorkspaceProps) {
  const { doc, promptId, setId, awareness } = props;
  const api = useApi();
  usePublishPresence(awareness, promptId, props.user);
  const version = useDocVersion(doc);
  const pm = doc.getMap<Y.Map<unknown>>('prompts').get(promptId);
  // Re-read on every change to the document: one prompt is cheap to read, and the memos below key on it.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const prompt = useMemo(() => (pm ? readPrompt(pm) : undefined), [pm, version]);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const resolve = useMemo(() => draftResolver(doc, props.dependencies), [doc, version, props.dependencies]);
  // Analysis (extraction, reconciliation) trails the keystroke in a deferred render: the preview of what was
  // typed is committed first, and a burst of keys costs one analysis rather than one each.
  const deferredPrompt = useDeferredValue(prompt);
  const analysis = useMemo(
    () => (deferredPrompt ? analyzePrompt(engine, deferredPrompt, { resolve, name: deferredPrompt.name }) : null),
    [deferredPrompt, resolve],
  );
  const problems = useSettled(analysis?.problems ?? NO_PROBLEMS, PROBLEMS_DELAY_MS, promptId);
  // Parameter lists keep their identity while their content is the same (every keystroke reads the prompt
  // afresh): the sample values and the panels below then do not recompute for text typed between tags.
  const declared = useStable(prompt?.parameters ?? NO_PARAMETERS);
  // While a template does not parse (a tag half typed), the parameters panel and the preview keep the last good
  // parameter list rather than emptying: the last analysis whose templates parsed. (Keyed by prompt: the
  // component is remounted for another prompt.)
  const lastGood = useRef<Analysis | null>(null);
  if (analysis?.extraction) lastGood.current = analysis;
  const good = analysis?.extraction ? analysis : lastGood.current;
  const extraction = good?.extraction ?? null;
  const proposed = useStable(
    useMemo(() => (good?.proposed ?? []).filter((p) => !declared.some((d) => d.name === p.name)), [good, declared]),
  );
  // The preview renders with what is declared plus what is used but not declared yet, so a new variable shows
  // at once.
  const parameters = useMemo(() => [...declared, ...proposed], [declared, proposed]);
  const samples = useSamples(promptId);
  const values = useMemo(() => previewValues(parameters, samples.stored), [parameters, samples.stored]);
  const preview = useMemo(
    () => (prompt ? renderPreview(engine, prompt, parameters, values, { resolve }) : null),
    [prompt, parameters, values, resolve],
  );

  // Completion reads the parameters through a ref, so the editors need not be recreated when they change.
  const paramsRef = useRef(parameters);
  paramsRef.current = parameters;
  const info = useMemo<ModelInfo>(
    () => ({
      parameters: () => paramsRef.current.map((p) => ({ name: p.name, type: p.type, description: p.description })),
    }),
    [],
  );

  // The mounted editors by slot, and the one last focused (F8 starts from its cursor).
  const editors = useRef(new Map<number, editor.IStandaloneCodeEditor>());
  const focused = useRef<number>(-1);
  // A message added with "Add message" takes the cursor once its editor is mounted.
  const focusWhenReady = useRef<number | null>(null);
  const onEditorReady = useCallback((slot: number, ed: editor.IStandaloneCodeEditor) => {
    editors.current.set(slot, ed);
    ed.onDidFocusEditorText(() => (focused.current = slot));
    if (focusWhenReady.current === slot) {
      focusWhenReady.current = null;
      ed.focus();
    }
    markEditorReady();
  }, []);
  const onEditorDispose = useCallback((slot: number, ed: editor.IStandaloneCodeEditor) => {
    if (editors.current.get(slot) === ed) editors.current.delete(slot);
  }, []);

  const openProblem = useCallback((p: Problem) => {
    const ed = editors.current.get(slotOf(p.source));
    if (!ed || p.line === undefined) return;
    const position = { lineNumber: p.line, column: p.column ?? 1 };
    ed.setPosition(position);
    ed.revealPositionInCenterIfOutsideViewport(position);
    ed.focus();
  }, []);

  const problemsRef = useRef(problems);
  problemsRef.current = problems;
  const walkProblems = useCallback(
    (direction: 1 | -1) => {
      const slot = focused.current;
      const ed = editors.current.get(slot) ?? editors.current.values().next().value;
      const at = ed?.getPosition();
      const from = {
        ...(slot === -1 ? {} : { source: slot }),
        line: at?.lineNumber ?? (direction === 1 ? 0 : Number.MAX_SAFE_INTEGER),
        column: at?.column ?? 0,
      };
      const target = nextProblem(problemsRef.current, from, direction);
      if (target) openProblem(target);
    },
    [openProblem],
  );

  useCommands(
    [
      {
        id: 'editor.nextProblem',
        title: 'Go to next problem',
        group: 'Editor',
        shortcut: 'F8',
        keywords: ['error', 'marker', 'next'],
        run: () => walkProblems(1),
      },
      {
        id: 'editor.previousProblem',
        title: 'Go to previous problem',
        group: 'Editor',
        shortcut: 'Shift+F8',
        keywords: ['error', 'marker', 'previous'],
        run: () => walkProblems(-1),
      },
    ],
    [walkProblems],
  );

  const failed = (what: string) => (err: unknown) => notifyError(err, what);
  const ref = { setId, promptId };
  const onRole = (index: number, role: ChatRole) =>
    void api.invoke('prompts:setMessageRole', { ...ref, index, role }).catch(failed('Could not change the role'));
  const onAdd = (item: ChatItem, at?: number) => {
    if (item.type === 'message') focusWhenReady.current = at ?? (prompt?.kind === 'chat' ? prompt.messages.length : 0);
    void api
      .invoke('prompts:addMessage', { ...ref, item, ...(at === undefined ? {} : { at }) })
      .catch(failed('Could not add the message'));
  };
  const onRemove = (index: number) =>
    void api.invoke('prompts:removeMessage', { ...ref, index }).catch(failed('Could not remove the message'));
  const onSaveParameters = async (next: Parameter[]) => {
    await api.invoke('prompts:setParameters', { ...ref, parameters: next });
  };

  if (!pm || !prompt || !analysis || !preview)
    return (
      <div className="editor-missing">
        <p role="alert">This prompt is not in the set (it may have been deleted).</p>
        <Link href={`/sets/${setId}`}>Open the set&apos;s first prompt</Link>
      </div>
    );

  const template = pm.get('template');
  const messages = pm.get('messages');
  const label = (i: number) => {
    const item = prompt.kind === 'chat' ? prompt.messages[i] : undefined;
    return messageLabel(i, item?.type === 'message' ? item.role : undefined);
  };

  return (
    <Group orientation="horizontal" className="prompt-workspace" id="anvil-prompt-workspace">
      <Panel id="editor-column" defaultSize="60%" minSize="25%">
        <Group orientation="vertical" id="anvil-editor-column">
          <Panel id="editor" defaultSize="80%" minSize="20%">
            <div className="editor-pane">
              {prompt.kind === 'text' && template instanceof Y.Text ? (
                <TemplateEditor
                  key={promptId}
                  text={template}
                  label="Template"
                  awareness={awareness}
                  problems={problems}
                  info={info}
                  onReady={(ed) => onEditorReady(-1, ed)}
                  onDispose={(ed) => onEditorDispose(-1, ed)}
                />
              ) : prompt.kind === 'chat' && messages instanceof Y.Array ? (
                <div className="chat-scroll">
                  <ChatEditor
                    key={promptId}
                    items={messages as Y.Array<Y.Map<unknown>>}
                    messages={prompt.messages}
                    awareness={awareness}
                    problems={problems}
                    info={info}
                    onRole={onRole}
                    onAdd={onAdd}
                    onRemove={onRemove}
                    onEditorReady={onEditorReady}
                    onEditorDispose={onEditorDispose}
                  />
                </div>
              ) : (
                <p role="alert">This prompt&apos;s document is damaged: it has no template to edit.</p>
              )}
            </div>
          </Panel>
          <Separator className="resize-handle horizontal" aria-label="Resize the problems list" />
          <Panel id="problems" defaultSize="20%" minSize="8%">
            <div className="problems-pane">
              <ProblemsList problems={problems} messageLabel={label} onOpen={openProblem} />
            </div>
          </Panel>
        </Group>
      </Panel>
      <Separator className="resize-handle vertical" aria-label="Resize the editor and the side panels" />
      <Panel id="side-column" defaultSize="40%" minSize="20%">
        <Group orientation="vertical" id="anvil-side-column">
          <Panel id="parameters" defaultSize={props.previewOpen ? '40%' : '100%'} minSize="10%">
            <div className="side-pane">
              <ParametersPanel
                declared={declared}
                extraction={extraction}
                proposed={proposed}
                problems={problems}
                onSave={onSaveParameters}
              />
            </div>
          </Panel>
          {props.previewOpen && (
            <>
              <Separator className="resize-handle horizontal" aria-label="Resize the preview" />
              <Panel id="preview" defaultSize="60%" minSize="15%">
                <div className="side-pane">
                  <PreviewPanel
                    key={promptId}
                    parameters={parameters}
                    values={values}
                    result={preview}
                    promptModel={prompt.model?.model ?? null}
                    dependencyProblems={props.dependencyProblems}
                    messageLabel={label}
                    onSample={samples.set}
                    onSampleCommit={samples.commit}
                    onResetSamples={samples.reset}
                  />
                </div>
              </Panel>
            </>
          )}
        </Group>
      </Panel>
    </Group>
  );
});

const NO_PROBLEMS: Problem[] = [];
const NO_PARAMETERS: Parameter[] = [];

/** The previous value while the new one has the same JSON (small values only: parameter lists). */
function useStable<T>(value: T): T {
  const last = useRef<{ key: string; value: T } | null>(null);
  const key = JSON.stringify(value);
  if (last.current?.key !== key) last.current = { key, value };
  return last.current.value;
}
