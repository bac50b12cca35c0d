import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import type { Parameter } from '../../../shared/domain';
import { describeType } from '../../../shared/domain';
import type { TokenCounter } from '../../../shared/tokens';
import { PRICES, createTokenCounter, estimateCost } from '../../../shared/tokens';
import type { PreviewResult } from './preview';
import { formatSampleInput, parseSampleInput } from './samples';

const MODEL_KEY = 'anvil.preview.model';
const MODELS = Object.keys(PRICES.models);

function storedModel(): string | null {
  try {
    return localStorage.getItem(MODEL_KEY);
  } catch {
    return null;
  }
}

/** A token counter for the chosen model, loaded on first use (the encodings are separate chunks). */
function useTokenCounter(model: string): { counter: TokenCounter | null; error: string | null } {
  const [state, setState] = useState<{ model: string; counter: TokenCounter | null; error: string | null }>({
    model: '',
    counter: null,
    error: null,
  });
  useEffect(() => {
    let live = true;
    createTokenCounter(model).then(
      (counter) => live && setState({ model, counter, error: null }),
      (e: unknown) => live && setState({ model, counter: null, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [model]);
  return state.model === model ? state : { counter: null, error: null };
}

export interface PreviewPanelProps {
  parameters: readonly Parameter[];
  /** The values rendered with (stored samples, defaults, generated). */
  values: Record<string, unknown>;
  result: PreviewResult;
  /** The prompt's own model, the default choice. */
  promptModel: string | null;
  /** Problems resolving the set's dependencies, shown above the output. */
  dependencyProblems: readonly string[];
  messageLabel(index: number): string;
  onSample(name: string, value: unknown): void;
  onSampleCommit(): void;
  onResetSamples(): void;
}

/**
 * The live preview: the prompt rendered with sample values as you type, the render error in place (with its
 * line and column) when it fails, and the token count and estimated input cost for a chosen model.
 */
export function PreviewPanel(props: PreviewPanelProps) {
  const { result } = props;
  const [model, setModel] = useState(() => props.promptModel ?? storedModel() ?? 'gpt-4o');
  const { counter, error: counterError } = useTokenCounter(model);
  // Counting tens of kilobytes takes milliseconds: it trails the preview in a deferred render, so a keystroke
  // reaches the rendered text first.
  const counted = useDeferredValue(result);
  const tokens = useMemo(() => {
    if (!counter || !counted.ok) return null;
    return counted.kind === 'text'
      ? counter.countText(counted.text)
      : counter.countChat(counted.messages.map((m) => ({ role: m.role, content: m.content })));
  }, [counter, counted]);
  const cost = tokens ? estimateCost({ model, inputTokens: tokens.tokens, outputTokens: 0 }) : null;

  return (
    <section className="preview-panel" aria-label="Preview panel">
      <h2>Preview</h2>
      {props.parameters.length > 0 && (
        <fieldset className="samples">
          <legend>Sample values</legend>
          {props.parameters.map((p) => (
            <SampleField
              key={p.name}
              parameter={p}
              value={props.values[p.name]}
              onChange={(v) => props.onSample(p.name, v)}
              onCommit={props.onSampleCommit}
            />
          ))}
          <button type="button" className="link" onClick={props.onResetSamples}>
            Reset samples
          </button>
        </fieldset>
      )}
      {props.dependencyProblems.map((p) => (
        <p key={p} role="alert" className="preview-error">
          {p}
        </p>
      ))}
      <div className="preview-output" aria-label="Preview" role="region" aria-live="off">
        {!result.ok ? (
          <div className="preview-error" role="alert">
            <strong>{result.problem.code.replace(/_/g, ' ')}</strong>: {result.problem.message}
            {result.problem.line !== undefined && (
              <span className="preview-error-where">
                {' '}
                ({result.problem.source === undefined ? '' : `${props.messageLabel(result.problem.source)}, `}line{' '}
                {result.problem.line}, column {result.problem.column ?? 1})
              </span>
            )}
          </div>
        ) : result.kind === 'text' ? (
          <pre className="preview-text">{result.text}</pre>
        ) : (
          <ol className="preview-chat">
            {result.messages.map((m, i) => (
              <li key={i} className={`preview-message ${m.role}`}>
                <span className="preview-role">{m.role}</span>
                <pre>{m.content}</pre>
              </li>
            ))}
          </ol>
        )}
      </div>
      <div className="preview-tokens">
        <label>
          Model{' '}
          <select
            aria-label="Model for token count"
            value={model}
            onChange={(e) => {
              const m = e.currentTarget.value;
              setModel(m);
              try {
                localStorage.setItem(MODEL_KEY, m);
              } catch {
                // storage unavailable: the choice lasts this session
              }
            }}
          >
            {(MODELS.includes(model) ? MODELS : [model, ...MODELS]).map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <span className="token-count" aria-label="Token count">
          {counterError
            ? `tokens unavailable: ${counterError}`
            : tokens
              ? `${tokens.tokens.toLocaleString('en')} tokens${tokens.exact ? '' : ' (estimate)'}`
              : result.ok
                ? 'counting…'
                : '—'}
        </span>
        {cost && (
          <span
            className="token-cost"
            aria-label="Estimated cost"
            title={cost.known ? `prices as of ${cost.asOf}` : cost.reason}
          >
            {cost.known
              ? `≈ $${cost.usd < 0.01 ? cost.usd.toFixed(5) : cost.usd.toFixed(4)} input`
              : 'no price for this model'}
          </span>
        )}
      </div>
    </section>
  );
}

function SampleField({
  parameter: p,
  value,
  onChange,
  onCommit,
}: {
  parameter: Parameter;
  value: unknown;
  onChange(v: unknown): void;
  onCommit(): void;
}) {
  const [text, setText] = useState<string | null>(null);
  const shown = text ?? formatSampleInput(value);
  const id = `sample-${p.name}`;
  const multiline = p.type.type === 'array' || p.type.type === 'object' || shown.includes('\n');
  const common = {
    id,
    'aria-label': `Sample ${p.name}`,
    value: shown,
    onChange: (e: { currentTarget: { value: string } }) => {
      setText(e.currentTarget.value);
      onChange(parseSampleInput(e.currentTarget.value, p.type));
    },
    onBlur: () => {
      setText(null);
      onCommit();
    },
  };
  return (
    <div className="sample">
      <label htmlFor={id}>
        <code>{p.name}</code> <span className="muted">{describeType(p.type)}</span>
      </label>
      {multiline ? <textarea rows={2} {...common} /> : <input {...common} />}
    </div>
  );
}
