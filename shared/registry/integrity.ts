/**
 * Subresource Integrity strings (`sha512-<base64>`), as npm's `dist.integrity`: the digest of a bundle's exact
 * bytes, so a byte changed on disk, in a cache or on the wire is caught wherever the bytes are read.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Standard base64 with padding (RFC 4648 §4); by hand because `shared/` has neither `Buffer` nor `btoa` typed. */
export function base64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out +=
      ALPHABET.charAt(n >>> 18) +
      ALPHABET.charAt((n >>> 12) & 63) +
      ALPHABET.charAt((n >>> 6) & 63) +
      ALPHABET.charAt(n & 63);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    out += `${ALPHABET.charAt(n >>> 18)}${ALPHABET.charAt((n >>> 12) & 63)}==`;
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    out += `${ALPHABET.charAt(n >>> 18)}${ALPHABET.charAt((n >>> 12) & 63)}${ALPHABET.charAt((n >>> 6) & 63)}=`;
  }
  return out;
}

/** A well-formed sha512 integrity: the prefix and the 88 base64 characters of a 64-byte digest. */
export const INTEGRITY_PATTERN = /^sha512-[A-Za-z0-9+/]{86}==$/;

export function isIntegrity(value: string): boolean {
  return INTEGRITY_PATTERN.test(value);
}

/** `sha512-<base64>` of exactly these bytes (Web Crypto: the same in Node, browsers and workers). */
export async function integrityOf(bytes: Uint8Array): Promise<string> {
  // Typed for DOM too, whose digest wants an ArrayBuffer-backed view; a shared buffer is hashed the same.
  const digest = await crypto.subtle.digest('SHA-512', bytes as Uint8Array<ArrayBuffer>);
  return `sha512-${base64(new Uint8Array(digest))}`;
}

/**
 * Whether two integrity strings name the same digest. Only well-formed sha512 strings ever match, so an empty,
 * truncated or weaker (`sha1-`) expectation can never pass for a check that was made.
 */
export function sameIntegrity(a: string, b: string): boolean {
  if (!isIntegrity(a) || !isIntegrity(b)) return false;
  // Compared without an early exit: the digest is public, but a check should not leak where it differs.
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
