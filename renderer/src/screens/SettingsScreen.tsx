import type { FormEvent } from 'react';
import { useEffect, useId, useRef, useState } from 'react';
import { useSearch } from 'wouter';
import { useApi } from '../api';
import { useQuery } from '../data/useQuery';
import type { Identity } from '../data/identity';
import { IDENTITY_KEY, asIdentity, identityProblem } from '../data/identity';
import { Page } from '../layout/Page';
import { notify, notifyError } from '../notices/notices';
import { SyncSettings } from '../sync/SyncSettings';
import type { ThemeSetting } from '../theme/ThemeProvider';
import { useTheme } from '../theme/ThemeProvider';
import './settings.css';

const THEMES: { value: ThemeSetting; label: string; hint: string }[] = [
  { value: 'light', label: 'Light', hint: '' },
  { value: 'dark', label: 'Dark', hint: '' },
  { value: 'system', label: 'System', hint: 'follows your operating system' },
];

export function SettingsScreen() {
  const info = useQuery('app:info', {}, { live: false });
  // `?section=sync` (the sync indicator, the palette): that section is scrolled to and its first field focused.
  const toSync = new URLSearchParams(useSearch()).get('section') === 'sync';
  const syncRef = useRef<HTMLElement>(null);
  useEffect(() => {
    if (toSync) syncRef.current?.scrollIntoView({ block: 'start' });
  }, [toSync]);
  return (
    <Page title="Settings" crumbs={[{ label: 'Settings' }]}>
      <ThemeSection />
      <IdentitySection actor={info.data?.actor} />
      <section className="panel" aria-labelledby="data-title">
        <h2 id="data-title">Data</h2>
        <dl className="facts">
          <dt>Data folder</dt>
          <dd>
            <code aria-label="Data folder">{info.data?.dataDir ?? '…'}</code>
          </dd>
          <dt>Running as</dt>
          <dd>{info.data ? (info.data.mode === 'desktop' ? 'Desktop app' : 'Browser, served on 127.0.0.1') : '…'}</dd>
          <dt>Version</dt>
          <dd>{info.data ? `Anvil ${info.data.version} on ${info.data.platform}` : '…'}</dd>
        </dl>
        <p className="muted">
          Everything (projects, drafts, versions, settings) is in <code>workspace.db</code> in this folder. Start the
          studio with <code>--data DIR</code> to use another folder.
        </p>
      </section>
      <section className="panel" aria-labelledby="sync-title" ref={syncRef}>
        <h2 id="sync-title">Sync</h2>
        <p className="muted">
          This studio works offline either way: changes are stored in the data folder above first, and sent to the team
          server when it can be reached. Ask your server&apos;s admin for a URL and a token (
          <code>anvil token create</code>).
        </p>
        <SyncSettings focusOnMount={toSync} />
      </section>
    </Page>
  );
}

function ThemeSection() {
  const { setting, resolved, setTheme } = useTheme();
  return (
    <section className="panel" aria-labelledby="theme-title">
      <h2 id="theme-title">Appearance</h2>
      <fieldset className="radio-group">
        <legend>Theme</legend>
        {THEMES.map((t) => (
          <label key={t.value} className="radio">
            <input
              type="radio"
              name="theme"
              value={t.value}
              checked={setting === t.value}
              onChange={() => setTheme(t.value)}
            />
            {t.label}
            {t.hint && <span className="muted"> ({t.hint})</span>}
          </label>
        ))}
      </fieldset>
      <p className="muted">Now showing the {resolved} theme.</p>
    </section>
  );
}

function IdentitySection({ actor }: { actor: string | undefined }) {
  const api = useApi();
  const stored = useQuery('settings:get', { key: IDENTITY_KEY }, { live: false });
  const [draft, setDraft] = useState<Identity>({ name: '', email: '' });
  const [problem, setProblem] = useState<ReturnType<typeof identityProblem>>(null);
  const [saving, setSaving] = useState(false);
  const nameId = useId();
  const emailId = useId();
  const errorId = useId();

  useEffect(() => {
    if (stored.data !== undefined) setDraft(asIdentity(stored.data));
  }, [stored.data]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const value = { name: draft.name.trim(), email: draft.email.trim() };
    const p = identityProblem(value);
    setProblem(p);
    if (p) return;
    setSaving(true);
    try {
      await api.invoke('settings:set', { key: IDENTITY_KEY, value });
      notify({ kind: 'ok', title: 'Identity saved', message: value.name || value.email || 'No identity' });
      stored.reload();
    } catch (err) {
      notifyError(err, 'Could not save the identity');
    } finally {
      setSaving(false);
    }
  };

  const invalid = (field: 'name' | 'email') => (problem?.field === field ? true : undefined);
  return (
    <section className="panel" aria-labelledby="identity-title">
      <h2 id="identity-title">Identity</h2>
      {/* noValidate: the browser's own email check would block the submit with a bubble screen readers may
          miss; identityProblem says what is wrong next to the field instead. */}
      <form className="form-grid" onSubmit={save} noValidate>
        <label htmlFor={nameId}>Name</label>
        <input
          id={nameId}
          type="text"
          autoComplete="name"
          value={draft.name}
          aria-invalid={invalid('name')}
          aria-describedby={problem?.field === 'name' ? errorId : undefined}
          onChange={(e) => setDraft({ ...draft, name: e.target.value })}
        />
        <label htmlFor={emailId}>Email</label>
        <input
          id={emailId}
          type="email"
          autoComplete="email"
          value={draft.email}
          aria-invalid={invalid('email')}
          aria-describedby={problem?.field === 'email' ? errorId : undefined}
          onChange={(e) => setDraft({ ...draft, email: e.target.value })}
        />
        <span />
        <div className="form-row">
          <button type="submit" className="primary" disabled={saving || stored.loading}>
            {saving ? 'Saving…' : 'Save identity'}
          </button>
          {problem && (
            <span id={errorId} role="alert" className="field-error">
              {problem.message}
            </span>
          )}
        </div>
      </form>
      <p className="muted">
        Shown with your versions and changes. Local changes are recorded as <code>{actor ?? '…'}</code>.
      </p>
    </section>
  );
}
