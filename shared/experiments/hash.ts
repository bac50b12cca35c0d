/**
 * MurmurHash3, x86 32-bit variant (Austin Appleby, public domain; the reference is `MurmurHash3_x86_32` in
 * SMHasher). Chosen for assignment because it is synchronous (Web Crypto's digests are async, and assignment
 * runs on the render path), small, exact in JavaScript (`Math.imul` and 32-bit shifts only, no floating point),
 * has a full-avalanche finaliser (`fmix32`: sequential ids such as `user-1`, `user-2` land far apart), is
 * published with test vectors, and is what other experimentation SDKs bucket with (Optimizely's, for one), so SDKs in other languages can reproduce
 * it bit for bit from the reference. It is not a cryptographic hash: nothing here needs one (a unit key is not a
 * secret, and nobody gains by choosing their own variant).
 */
export function murmur3(bytes: Uint8Array, seed = 0): number {
  return hashBytes(bytes, bytes.length, seed);
}

function hashBytes(bytes: Uint8Array, length: number, seed: number): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  const blocks = length - (length % 4);
  let h = seed | 0;

  for (let i = 0; i < blocks; i += 4) {
    let k =
      (bytes[i] as number) |
      ((bytes[i + 1] as number) << 8) |
      ((bytes[i + 2] as number) << 16) |
      ((bytes[i + 3] as number) << 24);
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }

  const tail = length % 4;
  if (tail > 0) {
    let k = 0;
    if (tail === 3) k ^= (bytes[blocks + 2] as number) << 16;
    if (tail >= 2) k ^= (bytes[blocks + 1] as number) << 8;
    k ^= bytes[blocks] as number;
    k = Math.imul(k, c1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, c2);
    h ^= k;
  }

  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

// Scratch space for `murmur3String`, grown as needed (a UTF-16 code unit is at most 3 UTF-8 bytes).
let scratch = new Uint8Array(256);

/** Writes `text` as UTF-8 into `scratch` (lone surrogates as U+FFFD, as the WHATWG encoder does); its length. */
function encodeUtf8(text: string): number {
  if (scratch.length < text.length * 3) scratch = new Uint8Array(text.length * 3);
  const out = scratch;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      out[n++] = c;
    } else if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 0x3f);
    } else {
      if (c >= 0xd800 && c <= 0xdfff) {
        const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
          i++;
          out[n++] = 0xf0 | (c >> 18);
          out[n++] = 0x80 | ((c >> 12) & 0x3f);
          out[n++] = 0x80 | ((c >> 6) & 0x3f);
          out[n++] = 0x80 | (c & 0x3f);
          continue;
        }
        c = 0xfffd;
      }
      out[n++] = 0xe0 | (c >> 12);
      out[n++] = 0x80 | ((c >> 6) & 0x3f);
      out[n++] = 0x80 | (c & 0x3f);
    }
  }
  return n;
}

/**
 * MurmurHash3 x86_32 of a string's UTF-8 bytes, an unsigned 32-bit integer: the same value as
 * `murmur3(new TextEncoder().encode(text), seed)`, without allocating (assignment runs on the render path).
 */
export function murmur3String(text: string, seed = 0): number {
  const length = encodeUtf8(text); // first: it may replace `scratch` with a larger one
  return hashBytes(scratch, length, seed);
}
