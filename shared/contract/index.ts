export * from './operations';
export * from './results';
export * from './studio';
export * from './contract';
export * from './client';
export * from './base64';
