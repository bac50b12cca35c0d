export { createProjector } from './projector';
export type { ProjectorOptions } from './projector';
export { PROJECTION_VERSION, projectionNeedsRebuild, rebuildProjection } from './rebuild';
export { ftsOptimize as optimizeSearchIndex } from './fts';
export type { ProjectedDoc } from './rebuild';
export { checkProjection } from './check';
export { BODY_SEPARATOR } from './rows';
