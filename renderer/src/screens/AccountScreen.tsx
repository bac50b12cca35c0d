import { Link } from 'wouter';
import { ROLE_PERMISSIONS } from '../../../shared/domain';
import { asIdentity, IDENTITY_KEY } from '../data/identity';
import { useQuery } from '../data/useQuery';
import { Page } from '../layout/Page';
import './settings.css';

/**
 * Who you are in this studio. Offline there is no team server to grant roles, so the local workspace's owner
 * has every permission; the sync issue replaces this with the team account and its role.
 */
export function AccountScreen() {
  const info = useQuery('app:info', {}, { live: false });
  const identity = useQuery('settings:get', { key: IDENTITY_KEY }, { live: false });
  const id = asIdentity(identity.data);
  const permissions = ROLE_PERMISSIONS.admin;
  return (
    <Page title="Account" crumbs={[{ label: 'Account' }]}>
      <section className="panel" aria-labelledby="who-title">
        <h2 id="who-title">Local identity</h2>
        <dl className="facts">
          <dt>Name</dt>
          <dd>{identity.loading ? '…' : id.name || <span className="muted">not set</span>}</dd>
          <dt>Email</dt>
          <dd>{identity.loading ? '…' : id.email || <span className="muted">not set</span>}</dd>
          <dt>Recorded as</dt>
          <dd>
            <code>{info.data?.actor ?? '…'}</code>
          </dd>
        </dl>
        <Link href="/settings">Edit your identity in Settings</Link>
      </section>
      <section className="panel" aria-labelledby="role-title">
        <h2 id="role-title">Role</h2>
        <dl className="facts">
          <dt>Role</dt>
          <dd>Owner of this local workspace (admin)</dd>
          <dt>Permissions</dt>
          <dd>{permissions.join(', ')}</dd>
          <dt>Team</dt>
          <dd>None: this studio works offline and no team server is configured.</dd>
        </dl>
        <p className="muted">
          On a team server, roles are admin, context engineer and viewer, granted by the server; here nothing is shared,
          so you can do everything.
        </p>
      </section>
    </Page>
  );
}
