import type { Peer } from './presence';
import { initials } from './presence';

/**
 * The colleagues in the open prompt, next to its title: a coloured avatar with initials each, named for screen
 * readers and on hover. Colleagues elsewhere in the set are counted after it.
 */
export function PresenceList({ peers, promptId }: { peers: readonly Peer[]; promptId: string | undefined }) {
  const here = peers.filter((p) => p.promptId !== null && p.promptId === promptId);
  const elsewhere = peers.length - here.length;
  if (peers.length === 0) return null;
  return (
    <div className="presence" role="group" aria-label="Who else is here">
      {here.length > 0 && (
        <ul className="presence-list" aria-label="Also in this prompt">
          {here.map((p) => (
            <li key={p.clientId} className="presence-person" title={p.user.name}>
              <span className="presence-avatar" style={{ background: p.user.color }} aria-hidden="true">
                {initials(p.user.name)}
              </span>
              <span className="presence-name">{p.user.name}</span>
            </li>
          ))}
        </ul>
      )}
      {elsewhere > 0 && (
        <span className="presence-elsewhere muted">
          {here.length > 0 ? '+' : ''}
          {elsewhere} in other prompts of this set
        </span>
      )}
    </div>
  );
}
