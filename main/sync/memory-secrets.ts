import type { SecretStore } from './types';

/**
 * A secret store that forgets everything when the process ends: the host's default only when it is given
 * none (tests, tools). The studio itself passes a real one (`secrets.ts`, Electron's safeStorage), so a token
 * is never kept in plain text on disk. Reported as kind `file` (the status has no word for memory).
 */
export function memorySecretStore(): SecretStore {
  const values = new Map<string, string>();
  return {
    kind: 'file',
    get: async (name) => values.get(name) ?? null,
    set: async (name, value) => void values.set(name, value),
    delete: async (name) => void values.delete(name),
  };
}
