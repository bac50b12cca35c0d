import type { MessageComparison, PromptComparison, TextComparison } from '../../../shared/compare';
import { ReasonList } from './ChangeClassBadge';
import type { DiffHandle } from './DiffEditor';
import { DiffEditor } from './DiffEditor';
import { formatStats } from './format';
import { MetadataTable } from './MetadataTable';
import { ParameterChangesTable } from './ParameterChangesTable';

/** How a prompt's diff editors report to the compare screen (for next/previous change across the page). */
export interface DiffRegistry {
  sideBySide: boolean;
  fromLabel: string;
  toLabel: string;
  register(key: string, handle: DiffHandle | null): void;
  focused(key: string): void;
  counted(key: string, changes: number): void;
  /** A line number clicked in a prompt's diff (the review screen anchors a comment there). */
  lineClicked?: ((prompt: string, side: 'before' | 'after', line: number) => void) | undefined;
}

export function StatusBadge({ status, renamed }: { status: string; renamed?: boolean }) {
  const label = renamed && status === 'changed' ? 'renamed' : status;
  return <span className={`status-badge status-${label}`}>{label}</span>;
}

/**
 * A text the diff could not compare within its limits (very large, or nothing in common): both sides shown
 * whole, said so, rather than a diff that would freeze the page or mislead.
 */
function ReplacedText({ text, name, registry }: { text: TextComparison; name: string; registry: DiffRegistry }) {
  return (
    <div className="replaced">
      <p role="note" className="replaced-note">
        Replaced: the texts are too different or too large to compare line by line, so both are shown whole (
        {formatStats(text.stats)}).
      </p>
      <div className={registry.sideBySide ? 'replaced-sides' : 'replaced-sides inline'}>
        <pre aria-label={`${name}, ${registry.fromLabel} (whole text)`} tabIndex={0} className="replaced-before">
          {text.before}
        </pre>
        <pre aria-label={`${name}, ${registry.toLabel} (whole text)`} tabIndex={0} className="replaced-after">
          {text.after}
        </pre>
      </div>
    </div>
  );
}

function TextView(props: {
  text: TextComparison;
  name: string;
  diffKey: string;
  registry: DiffRegistry;
  /** The prompt's name (a message's `name` also says which message). */
  prompt: string;
}) {
  const { text, name, diffKey, registry, prompt } = props;
  const lineClicked = registry.lineClicked;
  if (text.mode === 'equal') return <p className="muted">Text unchanged.</p>;
  if (text.mode === 'replaced') return <ReplacedText text={text} name={name} registry={registry} />;
  return (
    <DiffEditor
      before={text.before}
      after={text.after}
      beforeLabel={`${name}, ${registry.fromLabel}`}
      afterLabel={`${name}, ${registry.toLabel}`}
      sideBySide={registry.sideBySide}
      onHandle={(h) => registry.register(diffKey, h)}
      onFocus={() => registry.focused(diffKey)}
      onDiff={(n) => registry.counted(diffKey, n)}
      onLineClick={lineClicked ? (side, line) => lineClicked(prompt, side, line) : undefined}
    />
  );
}

function messageTitle(m: MessageComparison): string {
  const index = (m.afterIndex ?? m.beforeIndex ?? 0) + 1;
  const role =
    m.beforeRole !== null && m.afterRole !== null && m.beforeRole !== m.afterRole
      ? `${m.beforeRole} → ${m.afterRole}`
      : (m.afterRole ?? m.beforeRole ?? '');
  return `Message ${index} (${role})`;
}

function MessagesView(props: { messages: MessageComparison[]; prompt: PromptComparison; registry: DiffRegistry }) {
  const { messages, prompt, registry } = props;
  if (messages.length === 0) return <p className="muted">No messages on either side.</p>;
  return (
    <ol className="message-diffs" aria-label={`Messages of ${prompt.name}`}>
      {messages.map((m, i) => {
        const title = messageTitle(m);
        return (
          <li key={i} aria-label={title}>
            <div className="message-diff-head">
              <span>{title}</span>
              <StatusBadge status={m.status} />
              {m.status !== 'unchanged' && <span className="muted">{formatStats(m.text.stats)}</span>}
            </div>
            {m.status !== 'unchanged' && (
              <TextView
                text={m.text}
                name={`${prompt.name} ${title}`}
                diffKey={`${prompt.promptId}#${i}`}
                registry={registry}
                prompt={prompt.name}
              />
            )}
          </li>
        );
      })}
    </ol>
  );
}

/** One prompt of a comparison: its status, the semver reasons, its text (or messages), parameters and settings. */
export function PromptComparisonView({ prompt, registry }: { prompt: PromptComparison; registry: DiffRegistry }) {
  const renamed = prompt.previousName !== null;
  return (
    <section
      className="prompt-comparison"
      aria-label={`Prompt ${prompt.name}`}
      id={`compare-prompt-${prompt.promptId}`}
      data-status={prompt.status}
    >
      <header className="prompt-comparison-head">
        <h3>
          {prompt.name}
          {renamed && <span className="muted"> (renamed from {prompt.previousName})</span>}
        </h3>
        <StatusBadge status={prompt.status} renamed={renamed} />
        <span className="muted">{prompt.kind === 'chat' ? 'chat prompt' : 'text prompt'}</span>
        <span className="muted prompt-comparison-stats">{formatStats(prompt.stats)}</span>
      </header>
      <ReasonList reasons={prompt.reasons} label={`Why ${prompt.name} changed`} />
      {prompt.template && (
        <TextView
          text={prompt.template}
          name={prompt.name}
          diffKey={prompt.promptId}
          registry={registry}
          prompt={prompt.name}
        />
      )}
      {prompt.messages && <MessagesView messages={prompt.messages} prompt={prompt} registry={registry} />}
      {prompt.parameters.length > 0 && (
        <>
          <h4>Parameters</h4>
          <ParameterChangesTable changes={prompt.parameters} prompt={prompt.name} />
        </>
      )}
      {prompt.metadata.length > 0 && (
        <>
          <h4>Settings and metadata</h4>
          <MetadataTable changes={prompt.metadata} label={`Metadata changes of ${prompt.name}`} />
        </>
      )}
    </section>
  );
}
