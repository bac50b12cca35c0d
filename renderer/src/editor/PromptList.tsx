import { useVirtualizer } from '@tanstack/react-virtual';
import type { KeyboardEvent } from 'react';
import { useEffect, useRef, useState } from 'react';
import { nameProblem } from '../../../shared/domain';
import { moveItem, moveTo } from './list-order';
import type { PromptRow } from './set-structure';

export type { PromptRow };

export interface PromptListProps {
  rows: readonly PromptRow[];
  currentId: string | undefined;
  /** Id of a row whose name should be edited now (set after "New prompt"). */
  renamingId: string | null;
  onRenamingDone(): void;
  onSelect(id: string): void;
  onCreate(kind: 'text' | 'chat'): void;
  onRename(id: string, name: string): Promise<void>;
  onDuplicate(id: string): void;
  onDelete(id: string): void;
  onReorder(ids: string[]): void;
  /** After a rename ends; return true when the caller moved the focus itself (e.g. into the new prompt's editor). */
  onRenameDone?(id: string, renamed: boolean): boolean;
}

const ROW_HEIGHT = 34;

/**
 * The set's prompts, in the author's order, virtualised (a set may hold thousands). Keyboard: ↑/↓ move the
 * focus, Enter opens, F2 renames, Delete deletes (after confirming), Alt+↑/Alt+↓ reorder. Rows can be dragged.
 */
export function PromptList(props: PromptListProps) {
  const { rows, currentId } = props;
  const scroller = useRef<HTMLDivElement>(null);
  const [focusId, setFocusId] = useState<string | undefined>(currentId);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [dragging, setDragging] = useState<string | null>(null);
  const virtual = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });

  // The row being renamed or opened may be far down a long list (a new prompt is last; a prompt opened by its
  // address anywhere): bring it into view once it is in the rows.
  const indexOf = (id: string | null | undefined) => (id ? rows.findIndex((r) => r.id === id) : -1);
  const renameIndex = indexOf(props.renamingId);
  useEffect(() => {
    if (props.renamingId && renameIndex >= 0) {
      virtual.scrollToIndex(renameIndex, { align: 'auto' });
      setRenaming(props.renamingId);
      props.onRenamingDone();
    }
  }, [props.renamingId, renameIndex]); // eslint-disable-line react-hooks/exhaustive-deps

  const currentIndex = indexOf(currentId);
  useEffect(() => {
    if (!currentId) return;
    setFocusId(currentId);
    if (currentIndex >= 0) virtual.scrollToIndex(currentIndex, { align: 'auto' });
  }, [currentId, currentIndex === -1]); // eslint-disable-line react-hooks/exhaustive-deps

  const ids = rows.map((r) => r.id);
  const focusRow = (id: string | undefined) => {
    if (!id) return;
    setFocusId(id);
    const index = ids.indexOf(id);
    if (index >= 0) virtual.scrollToIndex(index);
    requestAnimationFrame(() => scroller.current?.querySelector<HTMLElement>(`[data-row-id="${id}"]`)?.focus());
  };

  const onKeyDown = (event: KeyboardEvent, row: PromptRow) => {
    const index = ids.indexOf(row.id);
    if (event.altKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
      event.preventDefault();
      props.onReorder(moveItem(ids, row.id, event.key === 'ArrowUp' ? -1 : 1));
      focusRow(row.id);
    } else if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
      event.preventDefault();
      focusRow(ids[Math.min(ids.length - 1, Math.max(0, index + (event.key === 'ArrowUp' ? -1 : 1)))]);
    } else if (event.key === 'Home' || event.key === 'End') {
      event.preventDefault();
      focusRow(event.key === 'Home' ? ids[0] : ids[ids.length - 1]);
    } else if (event.key === 'F2') {
      event.preventDefault();
      setRenaming(row.id);
    } else if (event.key === 'Delete') {
      event.preventDefault();
      setConfirmDelete(row.id);
    }
  };

  return (
    <nav className="prompt-list" aria-label="Prompts">
      <div className="prompt-list-actions">
        {/* Short visible labels fit a narrow list; the accessible names say it in full (and contain them). */}
        <button type="button" aria-label="New prompt" onClick={() => props.onCreate('text')} title="New prompt (Alt+N)">
          + Prompt
        </button>
        <button
          type="button"
          aria-label="New chat prompt"
          onClick={() => props.onCreate('chat')}
          title="New chat prompt"
        >
          + Chat
        </button>
      </div>
      <div ref={scroller} className="prompt-list-scroll">
        {rows.length === 0 && <p className="muted">No prompts yet.</p>}
        <ul role="list" style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {virtual.getVirtualItems().map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            const current = row.id === currentId;
            return (
              <li
                key={row.id}
                className={`prompt-row${current ? ' current' : ''}${dragging === row.id ? ' dragging' : ''}`}
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                  height: item.size,
                  transform: `translateY(${item.start}px)`,
                }}
                draggable={renaming !== row.id}
                onDragStart={(e) => {
                  setDragging(row.id);
                  e.dataTransfer.setData('text/plain', row.id);
                  e.dataTransfer.effectAllowed = 'move';
                }}
                onDragEnd={() => setDragging(null)}
                onDragOver={(e) => {
                  if (dragging) e.preventDefault();
                }}
                onDrop={(e) => {
                  e.preventDefault();
                  if (dragging && dragging !== row.id) props.onReorder(moveTo(ids, dragging, row.id));
                  setDragging(null);
                }}
              >
                {renaming === row.id ? (
                  <RenameField
                    initial={row.name}
                    onDone={async (name) => {
                      const renamed = name !== null && name !== row.name;
                      // The caller may move the focus at once (into a new prompt's editor), so keys typed
                      // while the rename is on its way are not lost.
                      const focusMoved = props.onRenameDone?.(row.id, renamed) ?? false;
                      if (renamed) await props.onRename(row.id, name);
                      setRenaming(null);
                      if (!focusMoved) focusRow(row.id);
                    }}
                  />
                ) : confirmDelete === row.id ? (
                  <div className="prompt-row-confirm" role="group" aria-label={`Delete ${row.name}?`}>
                    <span>Delete {row.name}?</span>
                    <button
                      type="button"
                      className="danger"
                      autoFocus
                      onClick={() => {
                        setConfirmDelete(null);
                        props.onDelete(row.id);
                      }}
                    >
                      Delete
                    </button>
                    <button type="button" onClick={() => setConfirmDelete(null)}>
                      Cancel
                    </button>
                  </div>
                ) : (
                  <>
                    <button
                      type="button"
                      className="prompt-row-open"
                      data-row-id={row.id}
                      tabIndex={row.id === (focusId ?? rows[0]?.id) ? 0 : -1}
                      aria-current={current ? 'page' : undefined}
                      onClick={() => props.onSelect(row.id)}
                      onFocus={() => setFocusId(row.id)}
                      onKeyDown={(e) => onKeyDown(e, row)}
                    >
                      <span className="prompt-kind" aria-label={row.kind === 'chat' ? 'chat prompt' : 'text prompt'}>
                        {row.kind === 'chat' ? <ChatIcon /> : '¶'}
                      </span>
                      {row.name}
                    </button>
                    <RowMenu
                      name={row.name}
                      onRename={() => setRenaming(row.id)}
                      onDuplicate={() => props.onDuplicate(row.id)}
                      onDelete={() => setConfirmDelete(row.id)}
                      onMove={(delta) => props.onReorder(moveItem(ids, row.id, delta))}
                    />
                  </>
                )}
              </li>
            );
          })}
        </ul>
      </div>
    </nav>
  );
}

/** A speech bubble: chat prompts (an emoji would be missing on minimal Linux installs). */
function ChatIcon() {
  return (
    <svg width="12" height="12" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path d="M2 3h12v8H7l-3 3v-3H2z" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinejoin="round" />
    </svg>
  );
}

function RenameField({ initial, onDone }: { initial: string; onDone(name: string | null): Promise<void> | void }) {
  const [value, setValue] = useState(initial);
  const problem = value === initial ? null : nameProblem(value);
  const done = useRef(false);
  const finish = (name: string | null) => {
    if (done.current) return;
    done.current = true;
    void onDone(name);
  };
  return (
    <form
      className="prompt-row-rename"
      onSubmit={(e) => {
        e.preventDefault();
        if (!problem) finish(value);
      }}
    >
      <input
        aria-label="Prompt name"
        autoFocus
        value={value}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? 'prompt-rename-problem' : undefined}
        onFocus={(e) => e.currentTarget.select()}
        onChange={(e) => setValue(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            finish(null);
          }
        }}
        onBlur={() => finish(problem ? null : value)}
      />
      {problem && (
        <span id="prompt-rename-problem" role="alert" className="field-problem">
          {problem}
        </span>
      )}
    </form>
  );
}

function RowMenu(props: {
  name: string;
  onRename(): void;
  onDuplicate(): void;
  onDelete(): void;
  onMove(delta: number): void;
}) {
  const [open, setOpen] = useState(false);
  const items: [string, () => void][] = [
    ['Rename', props.onRename],
    ['Duplicate', props.onDuplicate],
    ['Move up', () => props.onMove(-1)],
    ['Move down', () => props.onMove(1)],
    ['Delete', props.onDelete],
  ];
  return (
    <div className="row-menu" onBlur={(e) => !e.currentTarget.contains(e.relatedTarget) && setOpen(false)}>
      <button
        type="button"
        className="row-menu-button"
        aria-label={`Actions for ${props.name}`}
        aria-haspopup="menu"
        aria-expanded={open}
        tabIndex={-1}
        onClick={() => setOpen((o) => !o)}
      >
        ⋯
      </button>
      {open && (
        <div role="menu" className="row-menu-items" aria-label={`Actions for ${props.name}`}>
          {items.map(([label, run], i) => (
            <button
              key={label}
              type="button"
              role="menuitem"
              autoFocus={i === 0}
              onClick={() => {
                setOpen(false);
                run();
              }}
              onKeyDown={(e) => {
                if (e.key === 'Escape') setOpen(false);
                if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                  e.preventDefault();
                  const sib =
                    e.key === 'ArrowDown' ? e.currentTarget.nextElementSibling : e.currentTarget.previousElementSibling;
                  (sib as HTMLElement | null)?.focus();
                }
              }}
            >
              {label}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
