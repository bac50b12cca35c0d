export { DocStore } from './doc-store';
export type { DocStoreOptions } from './options';
export type { CommittedDoc, DocStoreApi, Projector } from './types';
