export type { ApiCaller, SyncApiBackend } from './backend';
export { ApiError, statusOfCode } from './backend';
export { createApiHandler, DEFAULT_ADDRESS_RATE_LIMIT, DEFAULT_MAX_BODY_BYTES, DEFAULT_TOKEN_RATE_LIMIT } from './http';
export type { ApiHandler, ApiHandlerOptions, ClosableApiHandler } from './http';
export { createAccountsApiBackend } from './accounts-backend';
export type { AccountsBackendOptions } from './accounts-backend';
