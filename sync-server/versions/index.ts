export { openTeamVersionStore, versionTaken, DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT } from './store';
export type { TeamVersionStore, TeamVersionStoreOptions } from './store';
export { parseProposedVersion, MAX_CONTENT_BYTES } from './validate';
export { VERSIONS_FILE } from './schema';
