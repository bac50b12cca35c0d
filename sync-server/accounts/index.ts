export { openAccountStore } from './store';
export type {
  AccountStore,
  AccountStoreOptions,
  By,
  CreatedToken,
  ProjectInfo,
  Role,
  TokenInfo,
  UserInfo,
  VerifiedToken,
} from './store';
export type { ServerAudit, ServerAuditEntry, ServerAuditInput, ServerAuditQuery } from './audit';
export { hashToken, looksLikeToken } from './tokens';
export { createEditAuditor } from './edit-audit';
export type { EditAuditor, EditAuditorOptions } from './edit-audit';
export { ACCOUNTS_FILE } from './schema';
export { createTokenAuthenticator } from './authenticate';
export type { DocumentAccess, TokenAuthenticatorOptions } from './authenticate';
export { firstAdminMessage, openServerAccounts } from './server-accounts';
export type { ServerAccounts } from './server-accounts';
