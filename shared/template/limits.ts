/**
 * Bounds on every template operation. Without them a self-including template takes Node down after about
 * 80 s; with them every hostile template is a typed error within about a second.
 */
export interface TemplateLimits {
  /** Characters of template source parsed in one call (liquidjs `parseLimit`). */
  parseChars: number;
  /** Milliseconds one render may take (liquidjs `renderLimit`, checked before each tag, output and text). */
  renderMs: number;
  /** Allocation units one render may use (liquidjs `memoryLimit`: ranges, string and array filters). */
  memory: number;
  /** Characters of rendered output (our guard on the emitter: liquidjs does not bound output). */
  outputChars: number;
  /** Nesting depth of `render` tags, a second guard behind the static cycle check. */
  renderDepth: number;
  /** Widest `date` format field (`%999999999Y` would pad to a gigabyte). */
  dateFieldWidth: number;
  /** Parsed templates kept in the LRU cache. */
  parseCacheEntries: number;
  /** Total source characters of the cached templates (long templates weigh more). */
  parseCacheChars: number;
}

export const DEFAULT_LIMITS: TemplateLimits = {
  parseChars: 1_000_000,
  renderMs: 1_000,
  memory: 16_000_000,
  outputChars: 4_000_000,
  renderDepth: 16,
  dateFieldWidth: 64,
  parseCacheEntries: 500,
  parseCacheChars: 4_000_000,
};
