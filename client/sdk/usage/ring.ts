/**
 * A fixed-size FIFO: `push` is O(1) and never allocates once the slots exist; when full it overwrites the
 * oldest item and counts it, so memory stays bounded whatever the render rate.
 */
export class Ring<T> {
  private readonly slots: (T | undefined)[];
  private head = 0;
  private count = 0;
  /** Items overwritten because the ring was full. */
  overwritten = 0;

  constructor(readonly capacity: number) {
    this.slots = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Adds an item; returns the size after it (the caller schedules a drain at a threshold). */
  push(item: T): number {
    const cap = this.capacity;
    if (this.count === cap) {
      this.slots[this.head] = item;
      this.head = this.head + 1 === cap ? 0 : this.head + 1;
      this.overwritten++;
      return cap;
    }
    let at = this.head + this.count;
    if (at >= cap) at -= cap;
    this.slots[at] = item;
    return ++this.count;
  }

  /** Removes and returns up to `max` of the oldest items, in order. */
  take(max: number): T[] {
    const n = Math.min(max, this.count);
    const out = new Array<T>(n);
    for (let i = 0; i < n; i++) {
      out[i] = this.slots[this.head] as T;
      this.slots[this.head] = undefined;
      this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
    }
    this.count -= n;
    return out;
  }
}
