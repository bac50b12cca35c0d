/**
 * A bounded LRU of parsed templates keyed by their source. A prompt is parsed once and rendered many times
 * (the SDK renders the same few prompts all day), so a hit must cost a Map lookup and nothing more.
 * Bounded by entries and by total source characters: the studio parses a new version of a long template on
 * every keystroke, and 500 stale parses of a 2,000-line template would hold gigabytes.
 */
export class LruCache<V> {
  private readonly map = new Map<string, V>();
  private chars = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxChars = Number.POSITIVE_INFINITY,
  ) {}

  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined && this.map.size > 1) {
      // Re-insert to mark as most recent; Map keeps insertion order, so the first key is the oldest.
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }

  set(key: string, value: V): void {
    if (this.maxEntries <= 0 || key.length > this.maxChars) return;
    if (this.map.delete(key)) this.chars -= key.length;
    this.map.set(key, value);
    this.chars += key.length;
    while (this.map.size > this.maxEntries || this.chars > this.maxChars) {
      const oldest = this.map.keys().next();
      if (oldest.done) break;
      this.map.delete(oldest.value);
      this.chars -= oldest.value.length;
    }
  }

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
    this.chars = 0;
  }
}
