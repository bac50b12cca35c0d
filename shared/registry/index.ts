export { integrityOf, sameIntegrity, isIntegrity, base64, INTEGRITY_PATTERN } from './integrity';
export { entryNameProblem, entryNamesProblems, parsePackageName, parsePromptRef, ENTRY_NAME_MAX } from './names';
export { buildBundle, readBundle, bundleContent, parametersSchema, MAX_BUNDLE_DEPTH } from './bundle';
export type { BundleInput } from './bundle';
export { BundleDocumentSchema, BundleManifestSchema, BundlePromptSchema, BundleEntrySchema } from './schema';
export { checkPublish, previousOnLine, movesLatest, bumpFits } from './publish-check';
export type { PublishCheckInput, PublishCheck } from './publish-check';
export * from './types';
export * from './api';
