export { createProjector } from './projector';
export type { ProjectorOptions } from './projector';
export { rebuildProjection } from './rebuild';
export type { ProjectedDoc } from './rebuild';
export { checkProjection } from './check';
export { BODY_SEPARATOR } from './rows';
