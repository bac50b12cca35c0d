import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Group, Panel, Separator } from 'react-resizable-panels';
import { Link, useLocation } from 'wouter';
import { readSetContent } from '../../../shared/doc/read';
import { useApi } from '../api';
import { useCommands } from '../commands/registry';
import { useQuery } from '../data/useQuery';
import type { Crumb } from '../layout/Breadcrumbs';
import { Breadcrumbs } from '../layout/Breadcrumbs';
import { LoadState } from '../layout/Page';
import { notify, notifyError } from '../notices/notices';
import { untitledName } from './list-order';
import { PresenceList } from './PresenceList';
import { PromptList } from './PromptList';
import { PromptWorkspace } from './PromptWorkspace';
import { SaveStatusView } from './SaveStatusView';
import { SaveVersionDialog } from './SaveVersionDialog';
import { useSetStructure } from './set-structure';
import { useDependencies } from './useDependencies';
import { useCursorStyles, useLocalUser, usePeers } from './usePresence';
import { useReplica } from './useReplica';
import { useVersionCommands } from '../versions/useVersionCommands';
import { PromptUsageLine } from '../usage/PromptUsageLine';
import '../components/dialog.css';
import './editor.css';

const PREVIEW_KEY = 'anvil.editor.preview';

function storedPreviewOpen(): boolean {
  try {
    return localStorage.getItem(PREVIEW_KEY) !== 'closed';
  } catch {
    return true;
  }
}

/** Focuses the open prompt's row in the list (the row that takes Tab), so ↑/↓ and Enter move around it. */
function focusList(): void {
  const list = document.querySelector('.set-editor .prompt-list');
  (
    list?.querySelector<HTMLElement>('.prompt-row.current .prompt-row-open') ??
    list?.querySelector<HTMLElement>('.prompt-row-open[tabindex="0"]')
  )?.focus();
}

/** Puts the cursor in the open prompt's (first) editor. */
function focusFirstEditor(): void {
  document.querySelector<HTMLElement>('.set-editor .editor-pane .monaco-editor textarea')?.focus();
}

/**
 * The prompt set editor, mounted by the shell at `/sets/:setId` and `/sets/:setId/:promptId` (keyed by set, so
 * moving between prompts keeps the replica, the list and its scroll position). Without a prompt in the address
 * the first prompt of the set is opened.
 */
export function SetEditorScreen(props: { setId: string; promptId?: string }) {
  const { setId } = props;
  const api = useApi();
  const [, navigate] = useLocation();
  const { replica, error, status } = useReplica(setId);
  const doc = replica?.doc ?? null;
  const structure = useSetStructure(doc);
  const project = useQuery(
    'projects:get',
    { projectId: structure?.projectId ?? '' },
    { enabled: Boolean(structure?.projectId) },
  );
  const deps = useDependencies(api, doc);
  const [renamingId, setRenamingId] = useState<string | null>(null);
  const createdId = useRef<string | null>(null);
  const [saveOpen, setSaveOpen] = useState(false);
  const [previewOpen, setPreviewOpen] = useState(storedPreviewOpen);
  const user = useLocalUser();
  const awareness = replica?.awareness ?? null;
  const peers = usePeers(awareness);
  useCursorStyles(peers);

  const rows = useMemo(() => structure?.rows ?? [], [structure]);
  const currentId = props.promptId ?? rows[0]?.id;
  const current = rows.find((r) => r.id === currentId);

  // `/sets/:setId` opens the first prompt: the address then names what is shown (reload, back, bookmarks).
  useEffect(() => {
    if (!props.promptId && rows[0]) navigate(`/sets/${setId}/${rows[0].id}`, { replace: true });
  }, [props.promptId, rows, setId, navigate]);

  // Leaving the page (reload, closing the tab or window): send what is still batched at once rather than after
  // the batching delay, so the last keystrokes are on their way before the page goes.
  useEffect(() => {
    if (!replica) return;
    const flushNow = () => void replica.flush().catch(() => undefined);
    window.addEventListener('pagehide', flushNow);
    window.addEventListener('beforeunload', flushNow);
    return () => {
      window.removeEventListener('pagehide', flushNow);
      window.removeEventListener('beforeunload', flushNow);
    };
  }, [replica]);

  const open = useCallback((id: string) => navigate(`/sets/${setId}/${id}`), [navigate, setId]);

  const createPrompt = useCallback(
    async (kind: 'text' | 'chat') => {
      const name = untitledName(new Set(rows.map((r) => r.name)), kind === 'chat' ? 'untitled-chat' : 'untitled');
      try {
        const created = await api.invoke(
          'prompts:create',
          kind === 'text'
            ? { setId, name, kind, template: '' }
            : {
                setId,
                name,
                kind,
                messages: [
                  { type: 'message', role: 'system', content: '' },
                  { type: 'message', role: 'user', content: '' },
                ],
              },
        );
        open(created.id);
        createdId.current = created.id;
        setRenamingId(created.id);
      } catch (err) {
        notifyError(err, 'Could not create the prompt');
      }
    },
    [api, open, rows, setId],
  );

  const togglePreview = useCallback(() => {
    setPreviewOpen((was) => {
      try {
        localStorage.setItem(PREVIEW_KEY, was ? 'closed' : 'open');
      } catch {
        // storage unavailable: the choice lasts this session
      }
      return !was;
    });
  }, []);

  const canEdit = Boolean(replica && structure);
  useVersionCommands(setId);
  useCommands(
    [
      {
        id: 'editor.newPrompt',
        title: 'New prompt',
        group: 'Editor',
        shortcut: 'Alt+N',
        keywords: ['create', 'add', 'template'],
        run: () => (canEdit ? createPrompt('text') : undefined),
      },
      {
        id: 'editor.newChatPrompt',
        title: 'New chat prompt',
        group: 'Editor',
        keywords: ['create', 'add', 'messages'],
        run: () => (canEdit ? createPrompt('chat') : undefined),
      },
      {
        id: 'editor.saveVersion',
        title: 'Save version…',
        group: 'Editor',
        shortcut: 'Mod+S',
        keywords: ['release', 'publish', 'semver', 'freeze'],
        run: () => {
          if (canEdit) setSaveOpen(true);
        },
      },
      {
        id: 'editor.focusList',
        title: 'Go to the prompt list',
        group: 'Editor',
        shortcut: 'Alt+1',
        keywords: ['focus', 'prompts'],
        run: focusList,
      },
      {
        id: 'editor.focusEditor',
        title: 'Go to the template editor',
        group: 'Editor',
        shortcut: 'Alt+2',
        keywords: ['focus', 'monaco', 'template'],
        run: focusFirstEditor,
      },
      {
        id: 'editor.togglePreview',
        title: previewOpen ? 'Hide preview' : 'Show preview',
        group: 'View',
        shortcut: 'Mod+Shift+P',
        keywords: ['render', 'tokens', 'cost', 'toggle'],
        run: togglePreview,
      },
      {
        id: 'editor.experiments',
        title: 'Open experiments of this set',
        group: 'Navigation',
        keywords: ['a/b', 'test', 'variant', 'winner', 'split'],
        run: () => navigate(`/sets/${setId}/experiments`),
      },
    ],
    [canEdit, createPrompt, previewOpen, togglePreview, navigate, setId],
  );

  const projectName = project.data?.name ?? '…';
  const crumbs: Crumb[] = [
    { label: 'Projects', href: '/projects' },
    structure?.projectId ? { label: projectName, href: `/projects/${structure.projectId}` } : { label: '…' },
    { label: structure?.name || '…', href: current ? `/sets/${setId}` : undefined },
    ...(current ? [{ label: current.name }] : []),
  ].filter((c): c is Crumb => Boolean(c));

  if (error || !replica || !structure)
    return (
      <section className="set-editor" aria-label="Prompt set editor">
        <Breadcrumbs items={crumbs} />
        <div className="set-editor-message">
          {error ? (
            <>
              <p role="alert">
                Could not open this prompt set: {error.message}
                {error.code ? ` (${error.code})` : ''}
              </p>
              <Link href="/projects">Back to projects</Link>
            </>
          ) : (
            <LoadState loading error={null} what="the prompt set" />
          )}
        </div>
      </section>
    );

  return (
    <section className="set-editor" aria-label="Prompt set editor" data-set-id={setId} data-prompt-id={currentId ?? ''}>
      <Breadcrumbs items={crumbs} />
      <header className="set-editor-head">
        <h1 className="set-editor-title">
          <span className="muted">@{projectName}/</span>
          {structure.name}
          {current && <span className="set-editor-prompt"> › {current.name}</span>}
        </h1>
        {current && <PromptUsageLine setId={setId} prompt={current.name} />}
        <PresenceList peers={peers} promptId={currentId} />
        <SaveStatusView status={status} />
        <div className="set-editor-actions">
          <button type="button" aria-pressed={previewOpen} onClick={togglePreview} title="Toggle preview (Mod+Shift+P)">
            {previewOpen ? 'Hide preview' : 'Show preview'}
          </button>
          <Link href={`/sets/${setId}/history`} className="button">
            History
          </Link>
          <Link href={`/sets/${setId}/experiments`} className="button">
            Experiments
          </Link>
          <button type="button" className="primary" onClick={() => setSaveOpen(true)} title="Save version (Mod+S)">
            Save version…
          </button>
        </div>
      </header>
      {structure.deletedAt !== null && (
        <div className="banner" role="status">
          This prompt set is in the trash; restore it from the trash to keep working on it.
        </div>
      )}
      <Group orientation="horizontal" className="set-editor-body" id="anvil-set-editor">
        <Panel id="prompt-list" defaultSize="18%" minSize="10%" maxSize="40%">
          <PromptList
            rows={rows}
            currentId={currentId}
            renamingId={renamingId}
            onRenamingDone={() => setRenamingId(null)}
            onRenameDone={(id) => {
              // Naming a new prompt ends in its editor, ready for the template.
              if (id !== createdId.current) return false;
              createdId.current = null;
              requestAnimationFrame(() => focusFirstEditor());
              return true;
            }}
            onSelect={open}
            onCreate={(kind) => void createPrompt(kind)}
            onRename={async (id, name) => {
              try {
                await api.invoke('prompts:rename', { setId, promptId: id, name });
              } catch (err) {
                notifyError(err, 'Could not rename the prompt');
              }
            }}
            onDuplicate={(id) =>
              void api.invoke('prompts:duplicate', { setId, promptId: id }).then(
                (copy) => open(copy.id),
                (err: unknown) => notifyError(err, 'Could not duplicate the prompt'),
              )
            }
            onDelete={(id) => {
              const index = rows.findIndex((r) => r.id === id);
              const neighbour = rows[index + 1] ?? rows[index - 1];
              const name = rows[index]?.name ?? 'the prompt';
              api.invoke('prompts:delete', { setId, promptId: id }).then(
                () => {
                  notify({ kind: 'ok', title: 'Prompt deleted', message: `${name} (earlier versions keep it)` });
                  if (id === currentId) navigate(neighbour ? `/sets/${setId}/${neighbour.id}` : `/sets/${setId}`);
                },
                (err: unknown) => notifyError(err, `Could not delete ${name}`),
              );
            }}
            onReorder={(ids) =>
              void api
                .invoke('prompts:reorder', { setId, promptIds: ids })
                .catch((err: unknown) => notifyError(err, 'Could not reorder the prompts'))
            }
          />
        </Panel>
        <Separator className="resize-handle vertical" aria-label="Resize the prompt list" />
        <Panel id="prompt" minSize="40%">
          {currentId ? (
            <PromptWorkspace
              key={currentId}
              setId={setId}
              doc={replica.doc}
              promptId={currentId}
              dependencies={deps.sets}
              dependencyProblems={deps.problems}
              previewOpen={previewOpen}
              awareness={awareness}
              user={user}
            />
          ) : (
            <div className="set-editor-message empty">
              <p>This set has no prompts yet.</p>
              <button type="button" className="primary" onClick={() => void createPrompt('text')}>
                Create a prompt
              </button>
            </div>
          )}
        </Panel>
      </Group>
      <SaveVersionDialog
        open={saveOpen}
        setId={setId}
        draft={() => readSetContent(replica.doc)}
        flush={() => replica.flush()}
        onOpenChange={setSaveOpen}
        onSaved={(v) => notify({ kind: 'ok', title: 'Version saved', message: `${structure.name} ${v.version}` })}
      />
    </section>
  );
}
