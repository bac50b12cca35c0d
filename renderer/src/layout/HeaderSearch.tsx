import type { FormEvent } from 'react';
import { useState } from 'react';
import { useLocation } from 'wouter';
import { Icon } from './icons';

/** The header's search box: Enter opens the search screen with the words typed (which then searches as you type). */
export function HeaderSearch() {
  const [, navigate] = useLocation();
  const [q, setQ] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate(q.trim() ? `/search?q=${encodeURIComponent(q.trim())}` : '/search');
    setQ('');
  };
  return (
    <form role="search" className="header-search" onSubmit={submit}>
      <Icon name="search" size={14} />
      <input
        type="search"
        aria-label="Search all prompts"
        placeholder="Search prompts…"
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
    </form>
  );
}
