import { useEffect } from 'react';
import { Link } from 'wouter';
import { useQuery } from '../data/useQuery';
import { useSyncStatus } from '../sync/useSyncStatus';
import { promptUsageText } from './format';
import { emptyFigures } from '../../../shared/usage/types';
import { analyticsHref } from './shape';
import './usage.css';

/** How often the line asks again while the prompt stays open (the main process caches a minute anyway). */
const REFRESH_MS = 60_000;

/**
 * The editor's compact line for the open prompt: "This prompt: 12k renders last 7 days, p95 3 ms, $4.10", linking
 * to the dashboard filtered to it. Only while sync is on and the set is published; otherwise, or when the server
 * cannot answer, nothing is shown (the editor is for writing; the dashboard says what is wrong). When the prompt has
 * an A/B test, a second link says so and leads to it. It asks when the
 * prompt changes and once a minute, never on edits, so typing costs nothing.
 */
export function PromptUsageLine({ setId, prompt }: { setId: string; prompt: string }) {
  const sync = useSyncStatus();
  const on = sync?.enabled === true && sync.hasToken;
  const usage = useQuery('usage:prompt', { setId, prompt }, { live: false, enabled: on });
  const { reload } = usage;
  useEffect(() => {
    if (!on) return;
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [on, reload]);

  const data = usage.data;
  if (!on || !data?.available || !data.name) return null;
  const project = /^@([^/]+)\//.exec(data.name)?.[1];
  const text = promptUsageText(data.figures ?? emptyFigures());
  const e = data.experiment;
  return (
    <div className="prompt-usage-lines">
      <Link
        href={analyticsHref({ ...(project ? { project } : {}), name: data.name, prompt: data.prompt })}
        className="prompt-usage"
        aria-label={`This prompt: ${text}. Open in analytics`}
        title={`Usage of ${data.name} ${data.prompt} reported by applications over the last 7 days`}
      >
        <span className="prompt-usage-label">This prompt:</span> {text}
      </Link>
      {e && (
        <Link
          href={`/sets/${setId}/experiments?id=${encodeURIComponent(e.id)}`}
          className="prompt-usage"
          title={`The A/B test on ${data.prompt}: open its definition and results`}
        >
          <span className="prompt-usage-label">A/B:</span>{' '}
          {e.status === 'running' ? `${e.name} running` : `${e.name} stopped, ${e.winner ?? '?'} won`}
        </Link>
      )}
    </div>
  );
}
