/**
 * An in-process cache of look-up answers that can never serve a value older
 * than a committed write (issue 5). Every registry write in this process is
 * bracketed by `beginWrite()` / `endWrite()` (end runs after commit or
 * rollback, before the write's answer is sent):
 *
 * - while any write is in flight, look-ups bypass the cache and read the database;
 * - `endWrite()` empties the cache and bumps a generation;
 * - a loaded value is stored only if no write was in flight when the load
 *   began or is now, and the generation did not move while it ran; so a value
 *   read before a commit is never stored after it.
 *
 * It sees only this process's writes, so it is for a single process (always
 * the case on PGlite); config `BATTERY_LOOKUP_CACHE` decides.
 */
export class LookupCache {
  private readonly entries = new Map<string, unknown>();
  private generation = 0;
  private writing = 0;
  hits = 0;
  misses = 0;

  constructor(private readonly maxEntries = 100_000) {}

  beginWrite(): void {
    this.writing += 1;
  }

  endWrite(): void {
    this.writing -= 1;
    this.generation += 1;
    this.entries.clear();
  }

  async get<T>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const clean = this.writing === 0;
    if (clean) {
      const hit = this.entries.get(key) as T | undefined;
      if (hit !== undefined) {
        this.hits += 1;
        return hit;
      }
    }
    this.misses += 1;
    const generation = this.generation;
    const value = await load();
    if (clean && value !== undefined && this.writing === 0 && this.generation === generation) {
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, value);
    }
    return value;
  }

  /** Runs a write with the cache bracketed around it. */
  async write<T>(fn: () => Promise<T>): Promise<T> {
    this.beginWrite();
    try {
      return await fn();
    } finally {
      this.endWrite();
    }
  }
}
