import * as Dialog from '@radix-ui/react-dialog';
import { Command as Cmdk } from 'cmdk';
import { useMemo, useState } from 'react';
import { useLocation } from 'wouter';
import type { CatalogEntry } from '../../../shared/contract';
import { isMacPlatform, runCommand, useAllCommands } from '../commands/registry';
import { formatShortcut } from '../commands/shortcuts';
import type { Command } from '../commands/types';
import { useQuery } from '../data/useQuery';
import type { IconName } from '../layout/icons';
import { Icon } from '../layout/icons';
import type { Candidate } from './fuzzy';
import { scoreCandidate, topMatches } from './fuzzy';
import './palette.css';

/** At most this many rows: enough to scan, few enough to render instantly with 10,000 prompts in the store. */
const MAX_ITEMS = 50;

type Item = Candidate & {
  key: string;
  title: string;
  detail: string;
  icon: IconName;
  kindLabel: string;
  shortcut?: string;
  /** Commands rank a little above entities of the same score: "set" should offer "New prompt set" early. */
  boost: number;
  action(): void;
};

function commandItem(c: Command): Item {
  return {
    key: `command:${c.id}`,
    title: c.title,
    detail: c.group,
    icon: 'command',
    kindLabel: 'Command',
    shortcut: c.shortcut,
    boost: 5,
    name: c.title.toLowerCase(),
    extra: `${c.group} ${(c.keywords ?? []).join(' ')} ${c.id}`.toLowerCase(),
    action: () => runCommand(c.id),
  };
}

function catalogItem(e: CatalogEntry, navigate: (to: string) => void): Item {
  if (e.kind === 'project')
    return {
      key: `project:${e.id}`,
      title: e.name,
      detail: 'Project',
      icon: 'projects',
      kindLabel: 'Project',
      boost: 2,
      name: e.name.toLowerCase(),
      extra: `project @${e.name}`,
      action: () => navigate(`/projects/${e.id}`),
    };
  if (e.kind === 'set')
    return {
      key: `set:${e.id}`,
      title: e.name,
      detail: `@${e.projectName}/${e.name}`,
      icon: 'set',
      kindLabel: 'Prompt set',
      boost: 1,
      name: e.name.toLowerCase(),
      extra: `set @${e.projectName}/${e.name}`.toLowerCase(),
      action: () => navigate(`/sets/${e.id}`),
    };
  return {
    key: `prompt:${e.setId}:${e.id}`,
    title: e.name,
    detail: `@${e.projectName}/${e.setName}`,
    icon: 'prompt',
    kindLabel: 'Prompt',
    boost: 0,
    name: e.name.toLowerCase(),
    extra: `prompt @${e.projectName}/${e.setName}`.toLowerCase(),
    action: () => navigate(`/sets/${e.setId}/${e.id}`),
  };
}

/**
 * Ctrl/Cmd+K: finds any project, set, prompt (from `app:catalog`, fetched while open) or registered command
 * and runs or opens it. cmdk gives the keyboard handling; ranking is ours (`shouldFilter={false}`), since
 * cmdk's filter would score and render every one of 10,000 items.
 */
export function CommandPalette({ open, onOpenChange }: { open: boolean; onOpenChange(open: boolean): void }) {
  const [query, setQuery] = useState('');
  const [, navigate] = useLocation();
  const commands = useAllCommands();
  const catalog = useQuery('app:catalog', {}, { enabled: open, keepPrevious: true, debounceMs: 400 });
  const mac = isMacPlatform();

  const commandItems = useMemo(() => commands.filter((c) => c.id !== 'palette.open').map(commandItem), [commands]);
  const entityItems = useMemo(
    () => (catalog.data ?? []).map((e) => catalogItem(e, navigate)),
    [catalog.data, navigate],
  );

  const results = useMemo(() => {
    const q = query.trim();
    if (!q) return [...commandItems, ...entityItems.filter((i) => i.kindLabel === 'Project')].slice(0, MAX_ITEMS);
    const all = commandItems.length ? [...commandItems, ...entityItems] : entityItems;
    return topMatches(
      all,
      (item) => {
        const s = scoreCandidate(q, item);
        return s === null ? null : s + item.boost;
      },
      MAX_ITEMS,
    );
  }, [query, commandItems, entityItems]);

  const close = (next: boolean) => {
    onOpenChange(next);
    if (!next) setQuery('');
  };

  const choose = (item: Item) => {
    close(false);
    // After the dialog has closed and given focus back, so a command that opens a dialog keeps its focus.
    setTimeout(item.action, 0);
  };

  return (
    <Dialog.Root open={open} onOpenChange={close}>
      <Dialog.Portal>
        <Dialog.Overlay className="palette-overlay" />
        <Dialog.Content className="palette" aria-describedby={undefined}>
          <Dialog.Title className="visually-hidden">Command palette</Dialog.Title>
          {/* cmdk names its input after the root's `label` (aria-labelledby wins over an aria-label on the
              input), and its list after the list's `label`. */}
          <Cmdk shouldFilter={false} loop label="Find a project, set, prompt or command">
            <div className="palette-input-row">
              <Icon name="search" />
              <Cmdk.Input
                value={query}
                onValueChange={setQuery}
                placeholder="Find a project, set, prompt or command…"
                autoFocus
              />
              {catalog.loading && <span className="spinner" role="status" aria-label="Loading the catalog" />}
            </div>
            <Cmdk.List className="palette-list" label="Results">
              <Cmdk.Empty className="palette-empty">
                {catalog.loading ? 'Loading…' : `Nothing matches “${query}”.`}
              </Cmdk.Empty>
              {results.map((item) => (
                <Cmdk.Item key={item.key} value={item.key} onSelect={() => choose(item)} className="palette-item">
                  <Icon name={item.icon} size={15} />
                  <span className="palette-title">{item.title}</span>
                  <span className="palette-detail">{item.detail}</span>
                  <span className="palette-kind">{item.kindLabel}</span>
                  {item.shortcut && <kbd>{formatShortcut(item.shortcut, mac)}</kbd>}
                </Cmdk.Item>
              ))}
            </Cmdk.List>
            <div className="palette-footer muted">
              <span>
                <kbd>↑</kbd> <kbd>↓</kbd> to move, <kbd>Enter</kbd> to open, <kbd>Esc</kbd> to close
              </span>
              {catalog.data && <span>{catalog.data.length.toLocaleString()} items in the workspace</span>}
            </div>
          </Cmdk>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
