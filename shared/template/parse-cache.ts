/**
 * A bounded LRU of parsed templates keyed by their source. A prompt is parsed once and rendered many times
 * (the SDK renders the same few prompts all day), so a hit must cost a Map lookup and nothing more.
 */
export class LruCache<V> {
  private readonly map = new Map<string, V>();

  constructor(private readonly max: number) {}

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
    if (this.max <= 0) return;
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
  }

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
  }
}
