import { useEffect, useRef, useState } from 'react';
import type { SetPublishedState } from '../../../shared/contract';
import type { VersionInfo } from '../../../shared/domain';
import { useApi } from '../api';
import { NameDialog } from '../components/NameDialog';
import { RowMenu } from '../components/RowMenu';
import { notify, notifyError } from '../notices/notices';
import { publishedBadges } from './format';
import { PublishDialog } from './PublishDialog';
import { useRegistryQuery } from './useRegistryQuery';
import './registry.css';

/** A version the server holds (saved here and accepted, or a colleague's): the ones that can be published. */
export function canPublish(v: VersionInfo): boolean {
  return v.sync?.state === 'accepted' || v.sync?.state === 'team';
}

/**
 * What the history screen needs of the registry: the set's published state (reloaded when something is
 * published from here, and when sync comes on), the badge and "Publish…" button of each version, and the
 * dialog. The history screen stays about versions; this is the registry's part of it.
 */
export function useSetPublishing(setId: string, name: string) {
  const api = useApi();
  const state = useRegistryQuery('registry:published', { setId });
  const [publishing, setPublishing] = useState<VersionInfo | null>(null);
  const [tagging, setTagging] = useState<string | null>(null);
  const [deprecating, setDeprecating] = useState<string | null>(null);
  const { reload } = state;
  const lastSync = useRef<string | null>(null);
  useEffect(
    () =>
      api.on('sync:status', (s) => {
        // Sync coming on (or back) is when the registry becomes reachable: ask again then, not on every status.
        const on = s.state === 'synced' ? 'on' : s.state;
        if (lastSync.current !== null && lastSync.current !== on && on === 'on') reload();
        lastSync.current = on;
      }),
    [api, reload],
  );

  const data: SetPublishedState | undefined = state.data;
  const pkg = data?.available ? data.package : null;
  const canWrite = data?.available === true && (data.role === 'admin' || data.role === 'context_engineer');
  const undeprecate = (name: string, version: string) =>
    void api
      .invoke('registry:deprecate', { name, version, message: null })
      .then(() => notify({ kind: 'ok', title: 'Deprecation taken back', message: `${name} ${version}` }))
      .catch((err: unknown) => notifyError(err, 'The deprecation was not taken back'));
  const removeTag = (name: string, tag: string) =>
    void api
      .invoke('registry:setDistTag', { name, tag, version: null })
      .then(() => notify({ kind: 'ok', title: 'Dist-tag removed', message: `${name}: ${tag}` }))
      .catch((err: unknown) => notifyError(err, `The tag ${tag} was not removed`));

  return {
    state: data,
    // Only the server's version of a number is the published one (not a clashing local row under that number).
    badge: (v: VersionInfo) => (canPublish(v) ? <PublishedBadge published={publishedBadges(pkg, v.version)} /> : null),
    button: (v: VersionInfo) =>
      canPublish(v) && !pkg?.versions[v.version] ? (
        <button type="button" onClick={() => setPublishing(v)} aria-label={`Publish ${v.version}…`}>
          Publish…
        </button>
      ) : null,
    /** Dist-tags and deprecation of a published version (writers of the project). */
    menu: (v: VersionInfo) => {
      const record = canPublish(v) ? pkg?.versions[v.version] : undefined;
      if (!pkg || !record || !canWrite) return null;
      const tags = publishedBadges(pkg, v.version).tags.filter((t) => t !== 'latest');
      return (
        <RowMenu
          name={`published ${v.version}`}
          actions={[
            { label: 'Set a dist-tag…', onSelect: () => setTagging(v.version) },
            ...tags.map((t) => ({ label: `Remove tag ${t}`, onSelect: () => removeTag(pkg.name, t) })),
            record.deprecated === null
              ? { label: 'Deprecate…', danger: true, onSelect: () => setDeprecating(v.version) }
              : { label: 'Take back the deprecation', onSelect: () => undeprecate(pkg.name, v.version) },
          ]}
        />
      );
    },
    dialog: (
      <>
        <NameDialog
          open={tagging !== null}
          onOpenChange={(open) => !open && setTagging(null)}
          title={`Dist-tag for ${pkg?.name ?? name} ${tagging ?? ''}`}
          label="Tag"
          description="Consumers can ask for a tag (e.g. beta) instead of a version; latest moves by itself on publish."
          submitLabel="Set tag"
          onSubmit={async (tag) => {
            if (!pkg || !tagging) return;
            await api.invoke('registry:setDistTag', { name: pkg.name, tag, version: tagging });
            notify({ kind: 'ok', title: 'Dist-tag set', message: `${pkg.name}: ${tag} → ${tagging}` });
          }}
        />
        <NameDialog
          open={deprecating !== null}
          onOpenChange={(open) => !open && setDeprecating(null)}
          title={`Deprecate ${pkg?.name ?? name} ${deprecating ?? ''}`}
          label="Message for consumers"
          description="The version stays available; those who use it are shown this message."
          submitLabel="Deprecate"
          onSubmit={async (message) => {
            if (!pkg || !deprecating) return;
            await api.invoke('registry:deprecate', { name: pkg.name, version: deprecating, message });
            notify({ kind: 'ok', title: 'Deprecated', message: `${pkg.name} ${deprecating}` });
          }}
        />
        <PublishDialog
          version={publishing}
          onClose={() => setPublishing(null)}
          setId={setId}
          name={pkg?.name ?? name}
          state={data}
        />
      </>
    ),
  };
}

export function PublishedBadge({ published }: { published: ReturnType<typeof publishedBadges> }) {
  if (!published.published) return null;
  return (
    <span className="published-badges">
      <span className="registry-badge published" title="Published to the team registry">
        Published
      </span>
      {published.tags.map((tag) => (
        <span key={tag} className={`registry-badge tag${tag === 'latest' ? ' latest' : ''}`} title={`dist-tag ${tag}`}>
          {tag}
        </span>
      ))}
      {published.deprecated !== null && (
        <span className="registry-badge deprecated" title={published.deprecated}>
          Deprecated
        </span>
      )}
    </span>
  );
}
