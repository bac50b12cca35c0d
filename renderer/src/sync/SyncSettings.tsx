import type { FormEvent } from 'react';
import { useEffect, useId, useRef, useState } from 'react';
import { AnvilError } from '../../../shared/domain';
import type { SyncStatus, SyncTestResult } from '../../../shared/sync/status';
import { useApi } from '../api';
import { relativeTime } from '../format/time';
import { notify } from '../notices/notices';
import { describeSync } from './describe';
import { useNow } from './useNow';
import { setSyncStatus, useSyncStatus } from './useSyncStatus';
import './sync.css';

type TestState =
  | { kind: 'idle' }
  | { kind: 'running'; url: string }
  | { kind: 'ok'; url: string; result: SyncTestResult }
  | { kind: 'failed'; url: string; message: string; code: string | null };

interface Draft {
  url: string;
  token: string;
  enabled: boolean;
  includeDemo: boolean;
}

const errorOf = (err: unknown): { message: string; code: string | null } =>
  err instanceof AnvilError
    ? { message: err.message, code: err.code }
    : { message: err instanceof Error ? err.message : String(err), code: null };

/** Where the token is kept, in words (the status says which store the main process uses). */
export function tokenStorageText(status: SyncStatus | null): string {
  if (!status) return '';
  const where =
    status.secretStorage === 'os'
      ? 'stored in the OS keychain'
      : 'stored encrypted, with its key kept outside the data folder';
  return status.hasToken
    ? `A token is ${where}. It is never shown again; type a new one to replace it.`
    : `The token will be ${where}, never in plain text.`;
}

/**
 * Settings → Sync: the server's URL and token, "Test connection" (who the token is, how many projects it
 * reaches, the round trip), sync on/off, whether the demo projects go too, Save, and Retry now. The token is
 * write-only: the field starts empty, and a stored token is only ever described.
 */
export function SyncSettings({ focusOnMount = false }: { focusOnMount?: boolean }) {
  const api = useApi();
  const status = useSyncStatus();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [test, setTest] = useState<TestState>({ kind: 'idle' });
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<{ message: string; code: string | null } | null>(null);
  const [retrying, setRetrying] = useState(false);
  const urlRef = useRef<HTMLInputElement>(null);
  const ids = { url: useId(), token: useId(), tokenHint: useId(), enabled: useId(), demo: useId(), error: useId() };
  const now = useNow(status?.state === 'offline' && status.nextAttemptAt !== null);

  // The form starts from the stored settings once they arrive; later status events do not overwrite typing.
  useEffect(() => {
    if (status && draft === null)
      setDraft({ url: status.url ?? '', token: '', enabled: status.enabled, includeDemo: status.includeDemo });
  }, [status, draft]);

  useEffect(() => {
    if (focusOnMount && draft !== null) urlRef.current?.focus();
    // Once, when the form first shows.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusOnMount, draft !== null]);

  const d = draft ?? { url: '', token: '', enabled: false, includeDemo: false };
  const change = (patch: Partial<Draft>) => setDraft({ ...d, ...patch });
  const described = status ? describeSync(status, now) : null;

  const runTest = async () => {
    const url = d.url.trim();
    if (!url) {
      setTest({ kind: 'failed', url, message: 'Type the server URL first, like ws://host:4321.', code: null });
      urlRef.current?.focus();
      return;
    }
    setTest({ kind: 'running', url });
    try {
      const token = d.token.trim();
      const result = await api.invoke('sync:test', { url, ...(token ? { token } : {}) });
      setTest({ kind: 'ok', url, result });
    } catch (err) {
      setTest({ kind: 'failed', url, ...errorOf(err) });
    }
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setSaveError(null);
    try {
      const token = d.token.trim();
      const next = await api.invoke('sync:configure', {
        url: d.url.trim() || null,
        enabled: d.enabled,
        includeDemo: d.includeDemo,
        ...(token ? { token } : {}),
      });
      setSyncStatus(api, next);
      setDraft({ url: next.url ?? '', token: '', enabled: next.enabled, includeDemo: next.includeDemo });
      notify({
        kind: 'ok',
        title: 'Sync settings saved',
        message: next.enabled && next.url ? `Syncing with ${next.url}` : 'Sync is off',
      });
    } catch (err) {
      setSaveError(errorOf(err));
    } finally {
      setSaving(false);
    }
  };

  const forgetToken = async () => {
    setSaveError(null);
    try {
      setSyncStatus(api, await api.invoke('sync:configure', { token: null }));
      notify({ kind: 'ok', title: 'Token removed', message: 'The stored sync token was deleted.' });
    } catch (err) {
      setSaveError(errorOf(err));
    }
  };

  const retry = async () => {
    setRetrying(true);
    try {
      setSyncStatus(api, await api.invoke('sync:retry', {}));
    } catch (err) {
      setSaveError(errorOf(err));
    } finally {
      setRetrying(false);
    }
  };

  const busy = saving || test.kind === 'running';
  return (
    <>
      <div className="sync-summary" role="status" aria-label="Sync state">
        <span className={`sync-indicator-button tone-${described?.tone ?? 'off'}`}>
          <span className="sync-dot" aria-hidden="true" />
          <strong>{described?.label ?? '…'}</strong>
        </span>
        <span className="muted">{described?.detail}</span>
        {status?.lastSyncedAt != null && (
          <span className="muted">Last synced {relativeTime(status.lastSyncedAt, now)}.</span>
        )}
      </div>
      <form className="form-grid sync-form" onSubmit={save} noValidate aria-label="Sync settings">
        <label htmlFor={ids.url}>Server URL</label>
        <input
          id={ids.url}
          ref={urlRef}
          type="text"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          placeholder="ws://sync.example.com:4321"
          value={d.url}
          disabled={draft === null}
          onChange={(e) => change({ url: e.target.value })}
        />
        <label htmlFor={ids.token}>Token</label>
        <div className="form-row">
          <input
            id={ids.token}
            type="password"
            autoComplete="off"
            spellCheck={false}
            placeholder={status?.hasToken ? '•••••••• (stored)' : 'anvil_…'}
            aria-describedby={ids.tokenHint}
            value={d.token}
            disabled={draft === null}
            onChange={(e) => change({ token: e.target.value })}
          />
          {status?.hasToken && (
            <button type="button" onClick={() => void forgetToken()}>
              Forget token
            </button>
          )}
        </div>
        <p id={ids.tokenHint} className="hint muted">
          {tokenStorageText(status)}
        </p>
        <span />
        <div className="sync-switches">
          <label htmlFor={ids.enabled}>
            <input
              id={ids.enabled}
              type="checkbox"
              role="switch"
              checked={d.enabled}
              disabled={draft === null}
              onChange={(e) => change({ enabled: e.target.checked })}
            />
            Sync with this server
          </label>
          <label htmlFor={ids.demo}>
            <input
              id={ids.demo}
              type="checkbox"
              checked={d.includeDemo}
              disabled={draft === null}
              onChange={(e) => change({ includeDemo: e.target.checked })}
            />
            Sync demo projects too
          </label>
        </div>
        <span />
        <div className="sync-actions">
          <button type="button" onClick={() => void runTest()} disabled={busy || draft === null}>
            {test.kind === 'running' ? 'Testing…' : 'Test connection'}
          </button>
          <button type="submit" className="primary" disabled={busy || draft === null}>
            {saving ? 'Saving…' : 'Save sync settings'}
          </button>
          <button
            type="button"
            onClick={() => void retry()}
            disabled={retrying || !status?.enabled || !status.url}
            title="Reconnect now instead of waiting"
          >
            {retrying ? 'Retrying…' : 'Retry now'}
          </button>
        </div>
      </form>
      {saveError && (
        <p id={ids.error} role="alert" className="sync-test-result failed">
          Could not save: {saveError.message}
          {saveError.code ? ` (${saveError.code})` : ''}
        </p>
      )}
      <TestResult test={test} />
    </>
  );
}

function TestResult({ test }: { test: TestState }) {
  if (test.kind === 'idle') return null;
  if (test.kind === 'running')
    return (
      <p className="sync-test-result" role="status" aria-label="Connection test" aria-busy="true">
        <span className="spinner" aria-hidden="true" /> Testing the connection to {test.url}…
      </p>
    );
  if (test.kind === 'failed')
    return (
      <p className="sync-test-result failed" role="alert" aria-label="Connection test">
        Connection failed: {test.message}
        {test.code ? ` (${test.code})` : ''}
      </p>
    );
  const r = test.result;
  return (
    <p className="sync-test-result" role="status" aria-label="Connection test">
      Connected to {test.url} as <strong>{r.account}</strong>
      {r.serverAdmin ? ' (server admin)' : ''} · {r.projects} project{r.projects === 1 ? '' : 's'} reachable ·{' '}
      {Math.round(r.latencyMs)} ms · protocol {r.protocol}
    </p>
  );
}
