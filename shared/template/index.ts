export * from './allow-list';
export * from './limits';
export * from './errors';
export * from './engine';
export * from './chat';
export * from './link';
export * from './set-resolver';
export { BoundedEmitter } from './output-guard';
export { LruCache } from './parse-cache';
