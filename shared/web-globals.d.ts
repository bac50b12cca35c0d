// shared/ runs in Node and in browsers, so its tsconfig loads neither the DOM nor Node's types.
// These are the few web-standard globals it may use; both runtimes provide them.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array): string;
}
declare const crypto: {
  readonly subtle: { digest(algorithm: 'SHA-256' | 'SHA-512', data: Uint8Array): Promise<ArrayBuffer> };
  getRandomValues<T extends Uint8Array>(array: T): T;
  randomUUID(): string;
};
declare const performance: { now(): number };
declare function queueMicrotask(callback: () => void): void;
declare function setTimeout(callback: () => void, ms?: number): unknown;
declare function clearTimeout(handle: unknown): void;
declare const console: {
  log(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
};
