export { saveVersion, versionExists } from './save';
export type { SaveVersionInput } from './save';
export { getVersion, listVersions } from './rows';
export type { VersionWithContent } from './rows';
export { restoreSnapshot, restoreVersion } from './restore';
export type { RestoreResult } from './restore';
export { getSnapshot, listSnapshots } from './snapshots';
export type { DraftSnapshot } from './snapshots';
