export * from './hints';
export * from './issues';
export * from './extract';
export * from './reconcile';
export * from './validate';
