export { createRegistry } from './service';
export type { RegistryOptions } from './service';
export type { Registry } from './types';
export { REGISTRY_FILE } from './schema';
export { sha512Integrity } from './bundle-files';
