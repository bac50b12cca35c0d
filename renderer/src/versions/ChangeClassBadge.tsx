import type { ChangeClass } from '../../../shared/domain';
import type { ChangeReason } from '../../../shared/semver';
import './versions.css';

const LABEL: Record<ChangeClass, string> = { major: 'Major', minor: 'Minor', patch: 'Patch', none: 'No change' };

/** The change class of a version or a comparison, coloured by class; the word is always there, not only a colour. */
export function ChangeClassBadge({ changeClass }: { changeClass: ChangeClass }) {
  return (
    <span className={`class-badge class-${changeClass}`} title={`${LABEL[changeClass]} change`}>
      {LABEL[changeClass]}
    </span>
  );
}

/** A sentence with `code` spans (the semver reasons quote names in backticks) as text nodes, never HTML. */
export function CodeText({ text }: { text: string }) {
  const parts = text.split('`');
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? <code key={i}>{part}</code> : part === '' ? null : <span key={i}>{part}</span>,
      )}
    </>
  );
}

/** The reasons of a classification, one per line with the class each forces. */
export function ReasonList({ reasons, label = 'Reasons' }: { reasons: readonly ChangeReason[]; label?: string }) {
  if (reasons.length === 0) return null;
  return (
    <ul className="reason-list" aria-label={label}>
      {reasons.map((r, i) => (
        <li key={`${r.code}:${i}`}>
          <span className={`reason-class class-${r.class}`}>{r.class}</span>
          <span>
            <CodeText text={r.message} />
          </span>
        </li>
      ))}
    </ul>
  );
}
