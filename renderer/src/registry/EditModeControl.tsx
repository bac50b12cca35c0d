import { useEffect, useState } from 'react';
import type { EditMode } from '../../../shared/domain';
import { EDIT_MODES } from '../../../shared/registry/types';
import { useApi } from '../api';
import { notify } from '../notices/notices';
import { EDIT_MODE_HELP, EDIT_MODE_LABEL } from './format';
import { useRegistryQuery } from './useRegistryQuery';
import './registry.css';

/**
 * The project's edit mode on the team's server (open / review / locked), in the project's settings: project admins
 * change it (chosen, then saved: arrowing through the options must not publish three changes), others see it.
 * A project that is not synced has no mode to set, and the control says why.
 */
export function EditModeControl({ projectId }: { projectId: string }) {
  const api = useApi();
  const state = useRegistryQuery('registry:editMode', { projectId });
  const current = state.data?.editMode;
  const [chosen, setChosen] = useState<EditMode | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setChosen(null), [current]);
  const value = chosen ?? current ?? 'open';
  const canChange = state.data?.canChange === true;

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const next = await api.invoke('registry:setEditMode', { projectId, editMode: value });
      notify({
        kind: 'ok',
        title: 'Edit mode saved',
        message: `${EDIT_MODE_LABEL[next.editMode]}: ${EDIT_MODE_HELP[next.editMode]}`,
      });
      state.reload();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel edit-mode" aria-label="Project settings">
      <h2>Publishing</h2>
      {state.error ? (
        <p className="muted">Edit mode: {unavailableText(state.error)}</p>
      ) : (
        <form
          className="edit-mode-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <label htmlFor={`edit-mode-${projectId}`}>Edit mode</label>
          <select
            id={`edit-mode-${projectId}`}
            value={value}
            disabled={!state.data || !canChange || busy}
            onChange={(e) => setChosen(e.currentTarget.value as EditMode)}
            aria-describedby={`edit-mode-help-${projectId}`}
          >
            {EDIT_MODES.map((m) => (
              <option key={m} value={m}>
                {EDIT_MODE_LABEL[m]}
              </option>
            ))}
          </select>
          {canChange && (
            <button type="submit" disabled={busy || chosen === null || chosen === current}>
              {busy ? 'Saving…' : 'Save edit mode'}
            </button>
          )}
          <span id={`edit-mode-help-${projectId}`} className="muted">
            {state.data ? EDIT_MODE_HELP[value] : 'Asking the server…'}
            {state.data && !canChange ? ' Only project admins can change it.' : ''}
          </span>
          {error && (
            <p role="alert" className="field-error">
              {error}
            </p>
          )}
        </form>
      )}
    </section>
  );
}

/** Why there is no edit mode to show, in words (a local project is the common case, not an error). */
function unavailableText(error: { code: string; message: string }): string {
  if (error.code === 'registry_unavailable' || error.code === 'sync_no_token')
    return "set on the team's server, once sync is on (Settings → Sync).";
  if (error.code === 'unknown_project' || error.code === 'forbidden')
    return "this project is not on the team's server (or not shared with you): sync it to publish.";
  return error.message;
}
