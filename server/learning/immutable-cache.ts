/**
 * A bounded, least-recently-used map for values derived from insert-only, content-addressed rows
 * (a package never changes once stored, so what is built from it never goes stale). It is a
 * per-instance cache of immutable data, not state: every instance builds the same value, and
 * anything that can change (which package is live, who is enrolled) is still read from the
 * database on every request, before the cache is asked.
 *
 * Loads are shared: when many requests miss the same key at once (a class opening a newly
 * released course), one load runs and all of them wait for it, instead of each reading and
 * building the same multi-megabyte document. A failed load is not kept, so the next request
 * tries again.
 */
export class ImmutableCache<V> {
  private readonly entries = new Map<string, Promise<V>>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`A cache holds at least one entry; ${capacity} was asked for.`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The value under key, loading it once when it is not here. */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const present = this.entries.get(key);
    if (present) {
      // Most recently used last: Map keeps insertion order, so the first key is the one to drop.
      this.entries.delete(key);
      this.entries.set(key, present);
      return present;
    }
    const loading = load();
    this.entries.set(key, loading);
    loading.catch(() => {
      if (this.entries.get(key) === loading) this.entries.delete(key);
    });
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return loading;
  }

  /** The value already here for key (counted as a use), or undefined: callers that load several keys in one query ask this first. */
  peek(key: string): Promise<V> | undefined {
    const present = this.entries.get(key);
    if (present) {
      this.entries.delete(key);
      this.entries.set(key, present);
    }
    return present;
  }
}
