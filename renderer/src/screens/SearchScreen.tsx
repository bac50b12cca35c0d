import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useSearch } from 'wouter';
import type { SearchHit, SnippetPart } from '../../../shared/contract';
import { VirtualList } from '../components/VirtualList';
import { useDebounced, useQuery } from '../data/useQuery';
import { Icon } from '../layout/icons';
import { LoadState, Page } from '../layout/Page';
import './lists.css';
import './search.css';

const LIMIT = 500;

/**
 * Full-text search over every prompt's templates, as you type (debounced 120 ms; useQuery drops replies to
 * older queries). The query lives in the route (`#/search?q=`) so a search can be linked and reloaded.
 */
export function SearchScreen() {
  const search = useSearch();
  const [, navigate] = useLocation();
  const initial = new URLSearchParams(search).get('q') ?? '';
  const [text, setText] = useState(initial);
  const query = useDebounced(text.trim(), 120);
  const input = useRef<HTMLInputElement>(null);
  const results = useQuery('search:query', { query, limit: LIMIT }, { enabled: query !== '', keepPrevious: true });

  // The URL follows the debounced query; a ?q= that did not come from here (the header box, a link)
  // replaces what is typed.
  const pushed = useRef(initial);
  useEffect(() => {
    const q = new URLSearchParams(search).get('q') ?? '';
    if (q !== pushed.current) {
      pushed.current = q;
      setText(q);
    }
  }, [search]);
  useEffect(() => {
    if (query === pushed.current) return;
    pushed.current = query;
    navigate(query ? `/search?q=${encodeURIComponent(query)}` : '/search', { replace: true });
  }, [query, navigate]);
  useEffect(() => input.current?.focus(), []);

  const hits = query ? (results.data ?? []) : [];

  return (
    <Page title="Search" crumbs={[{ label: 'Search' }]} fill>
      <div className="search-box">
        <Icon name="search" />
        <input
          ref={input}
          type="search"
          aria-label="Search prompts"
          placeholder="Words from any prompt's template…"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') {
              e.preventDefault();
              document.querySelector<HTMLAnchorElement>('.search-results a')?.focus();
            }
          }}
        />
      </div>
      <div className="muted search-summary" role="status" aria-live="polite">
        {query === ''
          ? 'Type to search the templates of every prompt.'
          : results.loading
            ? 'Searching…'
            : `${hits.length === LIMIT ? `${LIMIT}+` : hits.length} ${hits.length === 1 ? 'result' : 'results'}`}
      </div>
      <LoadState loading={false} error={results.error} what="search results" />
      {query !== '' && hits.length === 0 && !results.loading && !results.error && (
        <div className="empty">No prompt matches “{query}”.</div>
      )}
      {hits.length > 0 && (
        <VirtualList
          label="Search results"
          className="search-results"
          items={hits}
          rowHeight={62}
          getKey={(h) => `${h.setId}/${h.promptId}`}
          renderRow={(h) => <SearchRow hit={h} />}
        />
      )}
    </Page>
  );
}

function SearchRow({ hit }: { hit: SearchHit }) {
  return (
    <Link href={`/sets/${hit.setId}/${hit.promptId}`} className="search-hit">
      <span className="search-hit-head">
        <Icon name="prompt" size={14} />
        <span className="search-hit-name">{hit.promptName}</span>
        <span className="muted search-hit-path">
          {hit.projectName ? `@${hit.projectName}/${hit.setName}` : hit.setName}
        </span>
        <span className="muted search-hit-kind">{hit.kind}</span>
      </span>
      <Snippet parts={hit.snippet} />
    </Link>
  );
}

/** Snippet parts as text nodes, matches in <mark>: templates are full of `<`, so never as HTML. */
export function Snippet({ parts }: { parts: SnippetPart[] }) {
  return (
    <span className="snippet">
      {parts.map((p, i) => (p.match ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
    </span>
  );
}
