export * from './operations';
export * from './results';
export * from './studio';
export * from './registry';
export * from './usage';
export * from './contract';
export * from './client';
export * from './base64';
