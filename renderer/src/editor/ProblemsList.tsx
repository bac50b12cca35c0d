import type { Problem } from './problems';

// Glyphs every system font has (emoji are missing on minimal Linux installs); the colour says the severity.
const ICON = { error: '●', warning: '▲', info: '○' } as const;

/**
 * The problems of the open prompt below the editor. Each located problem is a button that moves the cursor to
 * it (Enter or click); F8 / Shift+F8 walk them from the keyboard.
 */
export function ProblemsList({
  problems,
  messageLabel,
  onOpen,
}: {
  problems: readonly Problem[];
  /** How to name a chat message in a problem's place ("message 2"). */
  messageLabel(index: number): string;
  onOpen(problem: Problem): void;
}) {
  const errors = problems.filter((p) => p.severity === 'error').length;
  return (
    <section className="problems" aria-label="Problems">
      <h2 className="problems-title">
        Problems{' '}
        <span className="problems-count">
          {problems.length === 0
            ? 'none'
            : `${errors} error${errors === 1 ? '' : 's'}, ${problems.length - errors} other`}
        </span>
      </h2>
      {problems.length > 0 && (
        <ul>
          {problems.map((p, i) => {
            const where =
              p.line === undefined
                ? ''
                : `${p.source === undefined ? '' : `${messageLabel(p.source)}, `}line ${p.line}, column ${p.column ?? 1}`;
            return (
              <li key={`${i}:${p.code}:${p.line ?? ''}:${p.column ?? ''}`} className={`problem ${p.severity}`}>
                <button
                  type="button"
                  disabled={p.line === undefined}
                  onClick={() => onOpen(p)}
                  aria-label={`${p.severity}: ${p.message}${where ? ` (${where})` : ''}`}
                >
                  <span aria-hidden="true" className="problem-icon">
                    {ICON[p.severity]}
                  </span>
                  <span className="problem-message">{p.message}</span>
                  {where && <span className="problem-where">{where}</span>}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
