import type { editor } from 'monaco-editor/editor/editor.api';
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { ChatItem, ChatRole } from '../../../shared/domain';
import type { ModelInfo } from './liquid-monaco';
import type { Problem } from './problems';
import { TemplateEditor } from './TemplateEditor';

const ROLES: ChatRole[] = ['system', 'user', 'assistant'];

export interface ChatEditorProps {
  /** The prompt's `messages` Y.Array (each item a Y.Map). */
  items: Y.Array<Y.Map<unknown>>;
  /** The same items as plain values (for roles and kinds). */
  messages: readonly ChatItem[];
  awareness: Awareness | null;
  problems: readonly Problem[];
  info: ModelInfo;
  onRole(index: number, role: ChatRole): void;
  onAdd(item: ChatItem, at?: number): void;
  onRemove(index: number): void;
  onEditorReady(index: number, ed: editor.IStandaloneCodeEditor): void;
  onEditorDispose(index: number, ed: editor.IStandaloneCodeEditor): void;
}

export const messageLabel = (index: number, role?: string): string => `Message ${index + 1}${role ? ` (${role})` : ''}`;

/**
 * A chat prompt as a list of role messages, each its own Monaco editor with its own problems, and at most one
 * history placeholder (where the application splices in the conversation so far).
 */
export function ChatEditor(props: ChatEditorProps) {
  const { items, messages } = props;
  const hasHistory = messages.some((m) => m.type === 'history');
  return (
    <div className="chat-editor">
      <ol className="chat-messages">
        {messages.map((m, i) => {
          const map = items.get(i);
          const content = map?.get('content');
          if (m.type === 'history') {
            return (
              <li key={`h${i}`} className="chat-history" aria-label={`History placeholder ${m.name}`}>
                <span>
                  ⟲ Conversation history (<code>{m.name}</code>) goes here
                </span>
                <button type="button" aria-label="Remove the history placeholder" onClick={() => props.onRemove(i)}>
                  Remove
                </button>
              </li>
            );
          }
          const label = messageLabel(i, m.role);
          const mine = props.problems.filter((p) => p.source === i);
          return (
            <li key={map ? yKey(map) : i} className="chat-message" aria-label={label}>
              <div className="chat-message-head">
                <label>
                  Role{' '}
                  <select
                    aria-label={`Role of message ${i + 1}`}
                    value={m.role}
                    onChange={(e) => props.onRole(i, e.currentTarget.value as ChatRole)}
                  >
                    {ROLES.map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </select>
                </label>
                {mine.length > 0 && (
                  <span
                    className={`chat-message-problems${mine.some((p) => p.severity === 'error') ? ' has-errors' : ''}`}
                  >
                    {mine.length} problem{mine.length === 1 ? '' : 's'}
                  </span>
                )}
                <button type="button" aria-label={`Remove message ${i + 1}`} onClick={() => props.onRemove(i)}>
                  Remove
                </button>
              </div>
              {content instanceof Y.Text && (
                <TemplateEditor
                  text={content}
                  label={label}
                  awareness={props.awareness}
                  problems={mine}
                  info={props.info}
                  autoHeight
                  onReady={(ed) => props.onEditorReady(i, ed)}
                  onDispose={(ed) => props.onEditorDispose(i, ed)}
                />
              )}
            </li>
          );
        })}
      </ol>
      <div className="chat-actions">
        <button
          type="button"
          onClick={() =>
            props.onAdd({
              type: 'message',
              role: messages.some((m) => m.type === 'message' && m.role === 'user') ? 'assistant' : 'user',
              content: '',
            })
          }
        >
          Add message
        </button>
        {!hasHistory && (
          <button type="button" onClick={() => props.onAdd({ type: 'history', name: 'history' })}>
            Add history placeholder
          </button>
        )}
      </div>
    </div>
  );
}

// Stable React keys for Y.Map items, so editors survive inserts and removals around them.
const keys = new WeakMap<Y.Map<unknown>, number>();
let nextKey = 1;
function yKey(map: Y.Map<unknown>): number {
  let k = keys.get(map);
  if (k === undefined) keys.set(map, (k = nextKey++));
  return k;
}
