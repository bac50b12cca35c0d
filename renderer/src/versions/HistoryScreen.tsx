import { useMemo, useState } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import type { DraftSnapshot } from '../../../shared/contract';
import type { VersionInfo } from '../../../shared/domain';
import { useApi } from '../api';
import { useCommands } from '../commands/registry';
import { useQuery } from '../data/useQuery';
import { relativeTime } from '../format/time';
import { LoadState, Page } from '../layout/Page';
import { notify, notifyError } from '../notices/notices';
import { useSetPublishing } from '../registry/Publishing';
import { ChangeClassBadge } from './ChangeClassBadge';
import { ConfirmDialog } from './ConfirmDialog';
import { RenumberDialog } from './RenumberDialog';
import { VersionSyncBadge, versionSyncText } from './VersionSyncBadge';
import { absoluteTime } from './format';
import type { PromptEvent, Snapshot } from './prompt-history';
import { knownPrompts, promptEvents, sameContent } from './prompt-history';
import { highestVersion } from './save-check';
import { DRAFT, compareHref } from './sides';
import { useSetContext } from './useSetContext';
import { useVersionContents } from './useVersionContents';
import './versions.css';

type Restoring = { kind: 'version'; version: string } | { kind: 'snapshot'; snapshot: DraftSnapshot };

function When({ iso }: { iso: string }) {
  const ms = Date.parse(iso);
  return (
    <span className="history-when">
      <time dateTime={iso} title={absoluteTime(iso)}>
        {relativeTime(ms)}
      </time>
      <span className="muted"> · {absoluteTime(iso)}</span>
    </span>
  );
}

function EventNote({ event }: { event: PromptEvent | undefined }) {
  if (!event) return null;
  const text =
    event.kind === 'renamed'
      ? `renamed from ${event.previousName ?? '?'} to ${event.name}`
      : event.kind === 'changed' && event.previousName
        ? `changed (renamed from ${event.previousName})`
        : event.kind;
  return (
    <p className="history-event">
      <code>{event.name}</code> {text}
    </p>
  );
}

/**
 * A set's history (`/sets/:setId/history`): the draft on top, then every version newest first (number, change
 * class, author, when, changelog, override), each comparable with the one before it or with the draft, any two
 * picked together, and restorable; a prompt filter keeps only the versions in which that prompt changed; the
 * automatic snapshots a restore keeps are listed below and can be put back.
 */
export function HistoryScreen({ setId }: { setId: string }) {
  const api = useApi();
  const [location, navigate] = useLocation();
  const search = new URLSearchParams(useSearch());
  const promptFilter = search.get('prompt') ?? '';
  const ctx = useSetContext(setId);
  const versions = ctx.versions.data;
  const snapshots = useQuery('versions:snapshots', { setId });
  const { contents, loaded, total, error: contentsError } = useVersionContents(setId, versions);
  const [picked, setPicked] = useState<string[]>([]);
  const [restoring, setRestoring] = useState<Restoring | null>(null);
  const [renumbering, setRenumbering] = useState<VersionInfo | null>(null);
  const publishing = useSetPublishing(setId, `@${ctx.projectName}/${ctx.setName}`);

  const latest = versions?.[0];
  const latestContent = latest ? contents.get(latest.version) : undefined;
  const draft = ctx.draft.data;
  const draftDiffers = draft && latest ? (latestContent ? !sameContent(latestContent, draft) : null) : Boolean(draft);
  // After a restore the draft often equals an older version: say which.
  const draftEquals = useMemo(
    () =>
      draft && draftDiffers
        ? (versions ?? []).find((v) => {
            const c = contents.get(v.version);
            return c !== undefined && sameContent(c, draft);
          })?.version
        : undefined,
    // `loaded` marks new entries in the (mutable) cache.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [draft, draftDiffers, versions, contents, loaded],
  );

  // Oldest first, the draft last: the order in which per-prompt changes are found.
  const chronological: Snapshot[] = useMemo(() => {
    const list: Snapshot[] = [];
    for (const v of [...(versions ?? [])].reverse()) {
      const content = contents.get(v.version);
      if (content) list.push({ key: v.version, content });
    }
    if (draft) list.push({ key: DRAFT, content: draft });
    return list;
    // `loaded` marks new entries in the (mutable) cache.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [versions, contents, loaded, draft]);
  const allLoaded = loaded === total;
  const prompts = useMemo(() => knownPrompts(chronological), [chronological]);
  const events = useMemo(
    () => (promptFilter && allLoaded ? promptEvents(chronological, promptFilter) : null),
    [chronological, promptFilter, allLoaded],
  );
  const filterName = prompts.find((p) => p.id === promptFilter)?.name ?? '';

  const previousOf = (v: VersionInfo): string | null => {
    const list = versions ?? [];
    return list[list.indexOf(v) + 1]?.version ?? null;
  };
  const compare = (from: string, to: string) => navigate(compareHref(setId, from, to, promptFilter || undefined));

  const togglePick = (key: string) =>
    setPicked((was) => (was.includes(key) ? was.filter((k) => k !== key) : [...was, key].slice(-2)));
  const compareSelected = () => {
    if (picked.length !== 2) return;
    // Older on the left: the draft is newest, versions by their place in the timeline.
    const order = [DRAFT, ...(versions ?? []).map((v) => v.version)];
    const [a = '', b = ''] = [...picked].sort((x, y) => order.indexOf(y) - order.indexOf(x));
    compare(a, b);
  };

  const setFilter = (id: string) => {
    const q = id ? `?prompt=${encodeURIComponent(id)}` : '';
    navigate(`${location}${q}`, { replace: true });
  };

  const restore = async (r: Restoring) => {
    const result =
      r.kind === 'version'
        ? await api.invoke('versions:restore', { setId, version: r.version })
        : await api.invoke('versions:restoreSnapshot', { snapshotId: r.snapshot.id });
    const what = r.kind === 'version' ? `version ${r.version}` : 'the snapshot';
    const snapshot = result.snapshot;
    notify({
      kind: 'ok',
      title: `Restored ${what}`,
      message: snapshot
        ? 'The draft is now that content; the previous draft is kept as an automatic snapshot.'
        : 'The draft already had that content; nothing else changed.',
      ...(snapshot
        ? {
            action: {
              label: 'Undo',
              run: () =>
                void api
                  .invoke('versions:restoreSnapshot', { snapshotId: snapshot.id })
                  .catch((e: unknown) => notifyError(e, 'Could not undo the restore')),
            },
          }
        : {}),
    });
    navigate(`/sets/${setId}`);
  };

  useCommands(
    [
      {
        id: 'versions.compare',
        title: 'Compare versions…',
        group: 'Versions',
        keywords: ['diff', 'history'],
        run: () => navigate(`/sets/${setId}/compare`),
      },
      {
        id: 'versions.openEditor',
        title: 'Open the set in the editor',
        group: 'Versions',
        keywords: ['edit', 'draft'],
        run: () => navigate(`/sets/${setId}`),
      },
    ],
    [navigate, setId],
  );

  const shown = (versions ?? []).filter((v) => !events || events.has(v.version));
  const draftEvent = events?.get(DRAFT);
  const showDraft = draft !== undefined && (!events || draftEvent !== undefined);
  const latestNumber = highestVersion((versions ?? []).map((v) => v.version));

  return (
    <Page
      title="History"
      subtitle={`@${ctx.projectName}/${ctx.setName}`}
      crumbs={ctx.crumbs('History')}
      actions={
        <>
          <button type="button" className="primary" disabled={picked.length !== 2} onClick={compareSelected}>
            Compare selected{picked.length > 0 ? ` (${picked.length}/2)` : ''}
          </button>
          <Link href={`/sets/${setId}`} className="button">
            Open editor
          </Link>
        </>
      }
    >
      <div className="toolbar history-toolbar">
        <label htmlFor="history-prompt">Prompt</label>
        <select id="history-prompt" value={promptFilter} onChange={(e) => setFilter(e.currentTarget.value)}>
          <option value="">All prompts</option>
          {prompts.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
              {p.removed ? ' (removed)' : ''}
            </option>
          ))}
        </select>
        <span className="muted" role="status">
          {!allLoaded && total > 0
            ? `Reading versions ${loaded} of ${total}…`
            : events
              ? `${shown.length} of ${versions?.length ?? 0} versions changed ${filterName}`
              : versions
                ? `${versions.length} ${versions.length === 1 ? 'version' : 'versions'}`
                : ''}
        </span>
      </div>
      <LoadState
        loading={ctx.versions.loading || ctx.draft.loading}
        error={ctx.versions.error ?? ctx.draft.error ?? contentsError}
        what="the history"
      />

      <ol className="timeline" aria-label="Versions">
        {showDraft && (
          <li className="timeline-entry draft" aria-label="Draft">
            <div className="timeline-head">
              <input
                type="checkbox"
                aria-label="Select the draft for comparison"
                checked={picked.includes(DRAFT)}
                onChange={() => togglePick(DRAFT)}
              />
              <h2>Draft</h2>
              <span className="muted">
                {draftDiffers === null
                  ? 'Checking…'
                  : draftDiffers
                    ? latest
                      ? `Unsaved changes since ${latest.version}${draftEquals ? ` (same content as ${draftEquals})` : ''}`
                      : 'Unsaved changes, no version yet'
                    : `Same as ${latest?.version ?? ''}`}
              </span>
            </div>
            <EventNote event={draftEvent} />
            <div className="timeline-actions">
              {latest && (
                <button type="button" onClick={() => compare(latest.version, DRAFT)} disabled={draftDiffers === false}>
                  Compare with {latest.version}
                </button>
              )}
              <Link href={`/sets/${setId}`} className="button">
                Edit the draft
              </Link>
            </div>
          </li>
        )}
        {shown.map((v) => {
          const previous = previousOf(v);
          return (
            <li
              key={v.id}
              className={`timeline-entry${v.sync?.state === 'clash' ? ' history-clash' : ''}`}
              aria-label={`Version ${v.version}${v.sync?.state === 'team' ? ` by ${v.author}` : ''}`}
            >
              <div className="timeline-head">
                <input
                  type="checkbox"
                  aria-label={`Select ${v.version} for comparison`}
                  checked={picked.includes(v.version)}
                  onChange={() => togglePick(v.version)}
                />
                <h2>{v.version}</h2>
                <ChangeClassBadge changeClass={v.changeClass} />
                {v.version === latestNumber && <span className="muted">latest</span>}
                <span className="muted">by {v.author}</span>
                <When iso={v.createdAt} />
                <VersionSyncBadge sync={v.sync} />
                {publishing.badge(v)}
              </div>
              {v.sync?.state === 'clash' && (
                <p className="history-override" role="note">
                  {versionSyncText(v.sync)?.detail}
                </p>
              )}
              {v.changelog ? (
                <p className="history-changelog">{v.changelog}</p>
              ) : (
                <p className="muted history-changelog">No changelog.</p>
              )}
              {v.override && (
                <p className="history-override" role="note">
                  <strong>Override</strong> (a breaking change under a minor or patch number): {v.override}
                </p>
              )}
              <EventNote event={events?.get(v.version)} />
              <div className="timeline-actions">
                <button
                  type="button"
                  disabled={previous === null}
                  onClick={() => previous && compare(previous, v.version)}
                  aria-label={`Compare ${v.version} with previous`}
                >
                  Compare with previous
                </button>
                <button
                  type="button"
                  onClick={() => compare(v.version, DRAFT)}
                  aria-label={`Compare ${v.version} with draft`}
                >
                  Compare with draft
                </button>
                {v.sync?.state === 'clash' && (
                  <button
                    type="button"
                    className="primary"
                    onClick={() => setRenumbering(v)}
                    aria-label={`Save ${v.version} under another number…`}
                  >
                    Choose another number…
                  </button>
                )}
                {publishing.button(v)}
                {publishing.menu(v)}
                <button
                  type="button"
                  onClick={() => setRestoring({ kind: 'version', version: v.version })}
                  aria-label={`Restore ${v.version}…`}
                >
                  Restore…
                </button>
              </div>
            </li>
          );
        })}
        {versions && versions.length === 0 && (
          <li className="empty">No versions yet: save one from the editor (Mod+S).</li>
        )}
        {events && shown.length === 0 && versions && versions.length > 0 && (
          <li className="empty">No version changed {filterName}.</li>
        )}
      </ol>

      <section className="panel" aria-label="Automatic snapshots">
        <h2>Automatic snapshots</h2>
        <p className="muted">A restore keeps the draft it replaces here first, so nothing is lost.</p>
        <LoadState loading={snapshots.loading} error={snapshots.error} what="snapshots" />
        {snapshots.data && snapshots.data.length === 0 && <p className="muted">No snapshots yet.</p>}
        {snapshots.data && snapshots.data.length > 0 && (
          <ul className="snapshot-list" aria-label="Snapshots">
            {snapshots.data.map((s) => (
              <li key={s.id} aria-label={`Snapshot before ${s.reason}`}>
                <span>Draft before {s.reason}</span>
                <span className="muted">by {s.actor}</span>
                <When iso={s.createdAt} />
                <button
                  type="button"
                  onClick={() => setRestoring({ kind: 'snapshot', snapshot: s })}
                  aria-label={`Restore the snapshot taken before ${s.reason}…`}
                >
                  Restore…
                </button>
              </li>
            ))}
          </ul>
        )}
      </section>

      {publishing.dialog}
      <RenumberDialog
        setId={setId}
        version={renumbering}
        known={(versions ?? []).map((v) => v.version)}
        onClose={() => setRenumbering(null)}
      />
      <ConfirmDialog
        open={restoring !== null}
        onOpenChange={(open) => !open && setRestoring(null)}
        title={restoring?.kind === 'version' ? `Restore version ${restoring.version}?` : 'Restore this snapshot?'}
        confirmLabel={restoring?.kind === 'version' ? `Restore ${restoring.version}` : 'Restore snapshot'}
        busyLabel="Restoring…"
        onConfirm={() => (restoring ? restore(restoring) : Promise.resolve())}
      >
        <p>
          The draft becomes {restoring?.kind === 'version' ? `the content of ${restoring.version}` : 'that snapshot'}.
          The current draft is kept first as an automatic snapshot, so nothing is lost: it is listed under Automatic
          snapshots and can be restored the same way.
        </p>
      </ConfirmDialog>
    </Page>
  );
}
