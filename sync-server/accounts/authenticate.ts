import type { Role } from '../../shared/domain';
import type { AccountStore } from './store';

/** Who a connection is, for one document: what the sync server's `authenticate` hook returns. */
export interface DocumentAccess {
  accountId: string;
  name: string;
  role: Role;
  /** Viewers read; their updates are refused by the server. */
  readOnly: boolean;
}

export interface TokenAuthenticatorOptions {
  /**
   * The project a document belongs to (roles are per project), or null for a document the server does not
   * know: refused. The document naming scheme is the server's, so it is passed in.
   */
  projectOf(documentName: string): string | null;
  clock?: () => number;
}

/**
 * The accounts-backed `authenticate(token, documentName)` for the sync server: a valid token whose account
 * has a role on the document's project (or is a server admin, for a registered project) gets in, viewers
 * read-only; anything else is null. Accepted connections and refusals of a known account are audited (`doc.connect`, `doc.refuse`);
 * unknown or malformed tokens are not, so garbage from the network cannot fill the log.
 */
export function createTokenAuthenticator(
  accounts: AccountStore,
  options: TokenAuthenticatorOptions,
): (token: string, documentName: string) => DocumentAccess | null {
  const clock = options.clock ?? Date.now;
  return (token, documentName) => {
    const who = accounts.verifyToken(token, clock());
    if (!who) return null;
    const projectId = options.projectOf(documentName);
    // Only registered projects have documents (the API registers them): even a server admin cannot bring a
    // project into being by connecting to one of its documents, so the projects list is the whole truth.
    const role =
      projectId === null || !accounts.projectExists(projectId) ? null : accounts.accessFor(who.accountId, projectId);
    accounts.audit.append({
      actor: who.name,
      action: role === null ? 'doc.refuse' : 'doc.connect',
      entityKind: 'document',
      entityId: documentName.slice(0, 256) || '(empty)',
      details: { accountId: who.accountId, tokenId: who.tokenId, projectId, role },
    });
    if (role === null) return null;
    return { accountId: who.accountId, name: who.name, role, readOnly: role === 'viewer' };
  };
}
