import type { ParameterChange, ParameterField } from '../../../shared/compare';
import type { Parameter } from '../../../shared/domain';
import { describeType } from '../../../shared/domain';
import { formatValue } from './format';

const COLUMNS: { field: ParameterField; label: string }[] = [
  { field: 'type', label: 'Type' },
  { field: 'required', label: 'Required' },
  { field: 'default', label: 'Default' },
  { field: 'description', label: 'Description' },
  { field: 'enum', label: 'Enum' },
];

/** A parameter's value for one column, as the comparison reports the field (type as text, enum as the list). */
function valueOf(p: Parameter, field: ParameterField): unknown {
  switch (field) {
    case 'type': {
      const t = p.type;
      return 'enum' in t && t.enum ? t.type : describeType(t);
    }
    case 'enum':
      return 'enum' in p.type && p.type.enum ? p.type.enum : null;
    case 'required':
      return p.required ? 'yes' : 'no';
    default:
      return p[field];
  }
}

const shown = (field: ParameterField, v: unknown): string =>
  field === 'required' && typeof v === 'boolean' ? (v ? 'yes' : 'no') : formatValue(v);

/**
 * The parameter changes of one prompt: added and removed parameters with every field, changed ones with
 * "before → after" in the columns that changed (the others shown as they are, muted).
 */
export function ParameterChangesTable({ changes, prompt }: { changes: readonly ParameterChange[]; prompt: string }) {
  if (changes.length === 0) return null;
  return (
    <table className="compare-table" aria-label={`Parameter changes of ${prompt}`}>
      <thead>
        <tr>
          <th scope="col">Parameter</th>
          <th scope="col">Change</th>
          {COLUMNS.map((c) => (
            <th scope="col" key={c.field}>
              {c.label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {changes.map((change) => {
          const p = change.after ?? change.before;
          return (
            <tr key={change.name} className={`status-${change.status}`}>
              <th scope="row">
                <code>{change.name}</code>
              </th>
              <td>
                <span className={`status-badge status-${change.status}`}>{change.status}</span>
              </td>
              {COLUMNS.map(({ field }) => {
                const diff = change.fields.find((f) => f.field === field);
                if (diff)
                  return (
                    <td key={field} className="changed-cell">
                      <del>{shown(field, diff.before)}</del> → <ins>{shown(field, diff.after)}</ins>
                    </td>
                  );
                return (
                  <td key={field} className={change.status === 'changed' ? 'muted' : undefined}>
                    {p ? formatValue(valueOf(p, field)) : '—'}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
