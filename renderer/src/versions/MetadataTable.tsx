import type { MetadataChange } from '../../../shared/compare';
import { formatValue } from './format';

/** Changes to fields that are not text or parameters (description, model settings, metadata, dependencies). */
export function MetadataTable({ changes, label }: { changes: readonly MetadataChange[]; label: string }) {
  if (changes.length === 0) return null;
  return (
    <table className="compare-table" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Field</th>
          <th scope="col">Before</th>
          <th scope="col">After</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.field}>
            <th scope="row">
              <code>{c.field}</code>
            </th>
            <td>
              <del>{formatValue(c.before)}</del>
            </td>
            <td>
              <ins>{formatValue(c.after)}</ins>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
