import { useMemo, useState } from 'react';
import type { ReferenceEntry } from '../../../shared/template/reference';
import { FILTER_REFERENCE, TAG_REFERENCE } from '../../../shared/template/reference';
import { isMacPlatform, useAllCommands } from '../commands/registry';
import { formatShortcut } from '../commands/shortcuts';
import { Page } from '../layout/Page';
import './help.css';

/** Keys that are not commands but matter: how the palette and lists are driven. */
const FIXED_KEYS: { keys: string; what: string }[] = [
  { keys: '↑ ↓, Enter', what: 'Move through the palette or a menu, and run or open the item' },
  { keys: 'Esc', what: 'Close the palette, a dialog or a menu' },
  { keys: 'Tab, Shift+Tab', what: 'Move between controls' },
];

/**
 * Keyboard shortcuts, read from the commands registered right now (so the editor's own appear while it is
 * open and the list cannot go stale), and the Liquid reference generated from the engine's allow-list.
 */
export function HelpScreen() {
  const commands = useAllCommands();
  const mac = isMacPlatform();
  const [filter, setFilter] = useState('');
  const withKeys = useMemo(
    () =>
      [...commands]
        .filter((c) => c.shortcut)
        .sort((a, b) => a.group.localeCompare(b.group) || a.title.localeCompare(b.title)),
    [commands],
  );
  const f = filter.trim().toLowerCase();
  const match = (e: ReferenceEntry) =>
    !f || e.name.includes(f) || e.description.toLowerCase().includes(f) || e.group.includes(f);
  const tags = TAG_REFERENCE.filter(match);
  const filters = FILTER_REFERENCE.filter(match);
  const filterGroups = useMemo(() => groupBy(filters), [filters]);

  return (
    <Page title="Help" crumbs={[{ label: 'Help' }]}>
      <section className="panel" aria-labelledby="keys-title">
        <h2 id="keys-title">Keyboard shortcuts</h2>
        <table className="help-table">
          <thead>
            <tr>
              <th scope="col">Shortcut</th>
              <th scope="col">Command</th>
              <th scope="col">Group</th>
            </tr>
          </thead>
          <tbody>
            {withKeys.map((c) => (
              <tr key={c.id}>
                <td>
                  <kbd>{formatShortcut(c.shortcut ?? '', mac)}</kbd>
                </td>
                <td>{c.title}</td>
                <td className="muted">{c.group}</td>
              </tr>
            ))}
            {FIXED_KEYS.map((k) => (
              <tr key={k.keys}>
                <td>
                  <kbd>{k.keys}</kbd>
                </td>
                <td>{k.what}</td>
                <td className="muted">Everywhere</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted">
          Every command, with or without a shortcut, is in the command palette ({formatShortcut('Mod+K', mac)}). Editor
          shortcuts are listed while a prompt set is open.
        </p>
      </section>

      <section className="panel" aria-labelledby="liquid-title">
        <div className="help-head">
          <h2 id="liquid-title">Liquid reference</h2>
          <input
            type="search"
            aria-label="Filter the Liquid reference"
            placeholder="Filter tags and filters…"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
        </div>
        <p className="muted">
          Templates may use only these tags and filters; anything else is refused when the template is checked, so a
          prompt renders the same in the studio, the SDK and the CLI.
        </p>
        <h3>Tags ({tags.length})</h3>
        <ReferenceTable entries={tags} label="Allowed tags" />
        <h3>Filters ({filters.length})</h3>
        {filterGroups.map(([group, entries]) => (
          <div key={group}>
            <h4 className="help-group">{group}</h4>
            <ReferenceTable entries={entries} label={`Allowed ${group} filters`} />
          </div>
        ))}
        {tags.length + filters.length === 0 && <p className="muted">Nothing matches “{filter}”.</p>}
      </section>
    </Page>
  );
}

function groupBy(entries: readonly ReferenceEntry[]): [string, ReferenceEntry[]][] {
  const groups = new Map<string, ReferenceEntry[]>();
  for (const e of entries) {
    const list = groups.get(e.group) ?? [];
    list.push(e);
    groups.set(e.group, list);
  }
  return [...groups.entries()];
}

function ReferenceTable({ entries, label }: { entries: readonly ReferenceEntry[]; label: string }) {
  if (entries.length === 0) return null;
  return (
    <table className="help-table reference" aria-label={label}>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Usage</th>
          <th scope="col">What it does</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.name}>
            <td>
              <code className="ref-name">{e.name}</code>
            </td>
            <td>
              <code>{e.signature}</code>
            </td>
            <td>
              {e.description}
              {e.example && (
                <div>
                  <code className="muted">{e.example}</code>
                </div>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
