import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import type { SetComparison } from '../../../shared/compare';
import type { PromptSetContent } from '../../../shared/domain';
import { isMacPlatform, useCommands } from '../commands/registry';
import { formatShortcut } from '../commands/shortcuts';
import { useQuery } from '../data/useQuery';
import { LoadState, Page } from '../layout/Page';
import { ChangeClassBadge, ReasonList } from './ChangeClassBadge';
import { compareInBackground } from './compare-client';
import type { DiffHandle } from './DiffEditor';
import { formatStats } from './format';
import { useSideBySide } from './layout-preference';
import { MetadataTable } from './MetadataTable';
import type { DiffRegistry } from './PromptComparisonView';
import { PromptComparisonView, StatusBadge } from './PromptComparisonView';
import { highestVersion } from './save-check';
import type { Side } from './sides';
import { DRAFT, compareHref, historyHref, parseSide, sideKey, sideLabel } from './sides';
import { useSetContext } from './useSetContext';
import './versions.css';

const NEXT = 'Alt+F5';
const PREVIOUS = 'Shift+Alt+F5';

/** The content of one side: the live draft, or a saved version (immutable, so fetched once). */
function useSideContent(setId: string, side: Side | null, draft: PromptSetContent | undefined) {
  const version = side?.kind === 'version' ? side.version : '';
  const q = useQuery('versions:get', { setId, version }, { enabled: version !== '', live: false });
  if (side === null) return { content: undefined, error: null, loading: false };
  if (side.kind === 'draft') return { content: draft, error: null, loading: draft === undefined };
  return { content: q.data?.content, error: q.error, loading: q.loading };
}

/** The keys of the diff editors the comparison shows, in page order (next/previous change walks them). */
function diffKeys(c: SetComparison): string[] {
  const keys: string[] = [];
  for (const p of c.prompts) {
    if (p.status === 'unchanged') continue;
    if (p.template?.mode === 'diff') keys.push(p.promptId);
    p.messages?.forEach((m, i) => {
      if (m.status !== 'unchanged' && m.text.mode === 'diff') keys.push(`${p.promptId}#${i}`);
    });
  }
  return keys;
}

/**
 * Two states of a set side by side (`/sets/:setId/compare?from=1.0.0&to=draft`): a summary, the prompts with
 * their status, and for each changed prompt a Monaco diff editor (side by side or inline, remembered), its
 * messages one by one for chat prompts, and tables of parameter and settings changes. Next/previous change
 * walks every diff on the page.
 */
export function CompareScreen({ setId }: { setId: string }) {
  const [, navigate] = useLocation();
  const search = new URLSearchParams(useSearch());
  const ctx = useSetContext(setId);
  const versions = ctx.versions.data;
  const numbers = useMemo(() => (versions ?? []).map((v) => v.version), [versions]);
  const latest = highestVersion(numbers);
  const fromKey = search.get('from') ?? latest;
  const toKey = search.get('to') ?? DRAFT;
  const from = useMemo(() => parseSide(fromKey), [fromKey]);
  const to = useMemo(() => parseSide(toKey), [toKey]);
  const focusPrompt = search.get('prompt');
  const [sideBySide, toggleLayout] = useSideBySide();

  const fromSide = useSideContent(setId, from, ctx.draft.data);
  const toSide = useSideContent(setId, to, ctx.draft.data);

  // Compared in a worker: a set of many large prompts takes a while even within the diff's limits, and the
  // page shows progress and stays responsive meanwhile.
  const [result, setResult] = useState<{ key: string; comparison: SetComparison | null; error: string | null }>();
  const key = `${from ? sideKey(from) : ''}→${to ? sideKey(to) : ''}`;
  useEffect(() => {
    const a = fromSide.content;
    const b = toSide.content;
    if (!a || !b) return;
    let live = true;
    compareInBackground(a, b).then(
      (comparison) => live && setResult({ key, comparison, error: null }),
      (err: unknown) =>
        live && setResult({ key, comparison: null, error: err instanceof Error ? err.message : String(err) }),
    );
    return () => {
      live = false;
    };
  }, [fromSide.content, toSide.content, key]);
  const comparison = result?.key === key ? result.comparison : null;

  // Next/previous change across every diff editor on the page.
  const handles = useRef(new Map<string, DiffHandle>());
  const position = useRef<{ key: string; index: number } | null>(null);
  const [counts, setCounts] = useState<ReadonlyMap<string, number>>(new Map());
  const [where, setWhere] = useState<string>('');
  const keys = useMemo(() => (comparison ? diffKeys(comparison) : []), [comparison]);
  const total = keys.reduce((n, k) => n + (counts.get(k) ?? 0), 0);

  const registry: DiffRegistry = useMemo(
    () => ({
      sideBySide,
      fromLabel: from ? sideLabel(from) : '',
      toLabel: to ? sideLabel(to) : '',
      register: (k, h) => {
        if (h) handles.current.set(k, h);
        else handles.current.delete(k);
      },
      focused: (k) => {
        if (position.current?.key === k) return;
        const h = handles.current.get(k);
        position.current = { key: k, index: (h?.changeAtCursor() ?? h?.changeCount() ?? 0) - 1 };
      },
      counted: (k, n) => setCounts((m) => (m.get(k) === n ? m : new Map(m).set(k, n))),
    }),
    [sideBySide, from, to],
  );

  const go = useCallback(
    (step: 1 | -1) => {
      const withChanges = keys.filter((k) => (handles.current.get(k)?.changeCount() ?? 0) > 0);
      if (withChanges.length === 0) {
        setWhere('No changes to go to.');
        return;
      }
      // Every change on the page in order, as (editor, index) pairs; then one step from where the cursor is.
      const all = withChanges.flatMap((k) =>
        Array.from({ length: handles.current.get(k)?.changeCount() ?? 0 }, (_, i) => ({ key: k, index: i })),
      );
      const pos = position.current;
      let at = pos ? all.findIndex((c) => c.key === pos.key && c.index === pos.index) : -1;
      if (pos && at === -1) {
        // Between changes (a click put the cursor there): the change after the cursor is the next one.
        const first = all.findIndex((c) => c.key === pos.key && c.index > pos.index);
        at = step === 1 ? first - 1 : first;
      }
      const next = at === -1 && step === -1 ? all.length - 1 : (at + step + all.length) % all.length;
      const target = all[next];
      if (!target) return;
      position.current = target;
      handles.current.get(target.key)?.goTo(target.index);
      const promptName = comparison?.prompts.find((p) => target.key.split('#')[0] === p.promptId)?.name ?? '';
      setWhere(`Change ${next + 1} of ${all.length}${promptName ? ` (${promptName})` : ''}`);
    },
    [keys, comparison],
  );

  useEffect(() => {
    position.current = null;
    setWhere('');
  }, [key]);

  // `?prompt=` (from the history's per-prompt view): scroll that prompt into view once it is drawn.
  useEffect(() => {
    if (!comparison || !focusPrompt) return;
    document.getElementById(`compare-prompt-${focusPrompt}`)?.scrollIntoView({ block: 'start' });
  }, [comparison, focusPrompt]);

  const setSides = (nextFrom: string, nextTo: string) =>
    navigate(compareHref(setId, nextFrom, nextTo, focusPrompt ?? undefined), { replace: true });
  const swap = () => from && to && setSides(sideKey(to), sideKey(from));

  const mac = isMacPlatform();
  useCommands(
    [
      {
        id: 'compare.nextChange',
        title: 'Go to next change',
        group: 'Compare',
        shortcut: NEXT,
        keywords: ['diff', 'navigate'],
        run: () => go(1),
      },
      {
        id: 'compare.previousChange',
        title: 'Go to previous change',
        group: 'Compare',
        shortcut: PREVIOUS,
        keywords: ['diff', 'navigate'],
        run: () => go(-1),
      },
      {
        id: 'compare.toggleLayout',
        title: sideBySide ? 'Show diffs inline' : 'Show diffs side by side',
        group: 'Compare',
        keywords: ['diff', 'layout', 'split', 'unified'],
        run: toggleLayout,
      },
      { id: 'compare.swap', title: 'Swap compared sides', group: 'Compare', keywords: ['diff'], run: swap },
      {
        id: 'versions.history',
        title: 'Open history',
        group: 'Versions',
        keywords: ['versions', 'timeline', 'restore'],
        run: () => navigate(historyHref(setId)),
      },
    ],
    [go, sideBySide, toggleLayout, setId, from, to, focusPrompt],
  );

  const options = (
    <>
      <option value={DRAFT}>Draft</option>
      {(versions ?? []).map((v) => (
        <option key={v.version} value={v.version}>
          {v.version}
        </option>
      ))}
    </>
  );

  const title = from && to ? `Compare ${sideLabel(from)} → ${sideLabel(to)}` : 'Compare';
  const loading = ctx.draft.loading || ctx.versions.loading || fromSide.loading || toSide.loading;
  const loadError = ctx.draft.error ?? ctx.versions.error ?? fromSide.error ?? toSide.error;
  const noVersions = versions !== undefined && versions.length === 0 && !search.get('from');

  return (
    <Page
      title={title}
      subtitle={`@${ctx.projectName}/${ctx.setName}`}
      crumbs={ctx.crumbs('Compare', [{ label: 'History', href: historyHref(setId) }])}
      actions={
        <>
          <Link href={historyHref(setId)} className="button">
            History
          </Link>
          <Link href={`/sets/${setId}`} className="button">
            Open editor
          </Link>
        </>
      }
    >
      <div className="compare-toolbar" role="toolbar" aria-label="Comparison">
        <label>
          From
          <select
            aria-label="From"
            value={from ? sideKey(from) : ''}
            onChange={(e) => setSides(e.currentTarget.value, to ? sideKey(to) : DRAFT)}
          >
            {!from && <option value="">—</option>}
            {options}
          </select>
        </label>
        <button type="button" onClick={swap} aria-label="Swap sides" title="Swap sides" disabled={!from || !to}>
          ⇄
        </button>
        <label>
          To
          <select
            aria-label="To"
            value={to ? sideKey(to) : ''}
            onChange={(e) => setSides(from ? sideKey(from) : DRAFT, e.currentTarget.value)}
          >
            {options}
          </select>
        </label>
        <span className="toolbar-gap" />
        <button type="button" aria-pressed={!sideBySide} onClick={toggleLayout}>
          {sideBySide ? 'Show inline' : 'Show side by side'}
        </button>
        <button
          type="button"
          onClick={() => go(-1)}
          disabled={total === 0}
          title={`Previous change (${formatShortcut(PREVIOUS, mac)})`}
        >
          Previous change
        </button>
        <button
          type="button"
          onClick={() => go(1)}
          disabled={total === 0}
          title={`Next change (${formatShortcut(NEXT, mac)})`}
        >
          Next change
        </button>
        <span role="status" aria-live="polite" className="muted compare-where">
          {where}
        </span>
      </div>

      {noVersions ? (
        <div className="empty">
          <p>This set has no versions yet: save one from the editor (Mod+S) to compare it with the draft.</p>
          <Link href={`/sets/${setId}`}>Open the editor</Link>
        </div>
      ) : loadError ? (
        <LoadState loading={false} error={loadError} what="the comparison" />
      ) : loading || (!comparison && !result?.error) ? (
        <p role="status" className="muted load-status">
          <span className="spinner" aria-hidden="true" /> {loading ? 'Loading both sides…' : 'Comparing…'}
        </p>
      ) : result?.key === key && result.error ? (
        <p role="alert" className="load-error">
          Could not compare: {result.error}
        </p>
      ) : comparison ? (
        <ComparisonBody comparison={comparison} registry={registry} />
      ) : null}
    </Page>
  );
}

/** The body of a comparison (summary, prompts, set changes, each changed prompt); the review screen shows it too. */
export function ComparisonBody({ comparison, registry }: { comparison: SetComparison; registry: DiffRegistry }) {
  const { summary, classification } = comparison;
  const changed = comparison.prompts.filter((p) => p.status !== 'unchanged');
  const counts: [string, number][] = [
    ['added', summary.added],
    ['removed', summary.removed],
    ['renamed', summary.renamed],
    ['changed', summary.changed],
    ['unchanged', summary.unchanged],
  ];
  return (
    <>
      <section className="panel compare-summary" aria-label="Summary">
        <div className="compare-summary-row">
          <ChangeClassBadge changeClass={classification.changeClass} />
          <ul className="compare-counts" aria-label="Prompt counts">
            {counts.map(([label, n]) => (
              <li key={label} className={n > 0 ? `status-${label}` : 'muted'}>
                {n} {label}
              </li>
            ))}
          </ul>
          <span className="muted" aria-label="Line and word statistics">
            {formatStats(summary.stats)}
          </span>
        </div>
        {classification.reasons.length > 0 && (
          <details>
            <summary>
              {classification.reasons.length} {classification.reasons.length === 1 ? 'reason' : 'reasons'} for the{' '}
              {classification.changeClass} class
            </summary>
            <ReasonList reasons={classification.reasons} label="Reasons for the change class" />
          </details>
        )}
      </section>

      <nav aria-label="Prompts in the comparison" className="compare-prompts">
        <ul>
          {comparison.prompts.map((p) => (
            <li key={p.promptId}>
              {p.status === 'unchanged' ? (
                <span className="muted">{p.name}</span>
              ) : (
                <a
                  href={`#compare-prompt-${p.promptId}`}
                  onClick={(e) => {
                    e.preventDefault();
                    document.getElementById(`compare-prompt-${p.promptId}`)?.scrollIntoView({ block: 'start' });
                  }}
                >
                  {p.name}
                </a>
              )}
              <StatusBadge status={p.status} renamed={p.previousName !== null} />
            </li>
          ))}
        </ul>
      </nav>

      {comparison.set.length > 0 && (
        <section aria-label="Set changes" className="panel">
          <h2>Set</h2>
          <MetadataTable changes={comparison.set} label="Changes to the set" />
        </section>
      )}

      {changed.length === 0 ? (
        <p className="empty">Both sides have the same prompts and text.</p>
      ) : (
        changed.map((p) => <PromptComparisonView key={p.promptId} prompt={p} registry={registry} />)
      )}
    </>
  );
}
