/**
 * A FIFO async lock. Operations that check a name and then write it (create, rename, restore from trash)
 * take it, so two concurrent creates of one name cannot both pass the check before either commits. Edits
 * never take it: they must not wait for each other's commits.
 */
export class Lock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
