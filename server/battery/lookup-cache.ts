/**
 * An in-process cache of look-up answers that never serves a value older than
 * a committed write (issue 5), invalidated per row rather than wholesale.
 *
 * Every answer carries tags naming the registry rows it was built from
 * (`vin:…` for a vehicle row, `pack:…` for a pack row). Every write takes its
 * row locks first (db/repositories/battery-scope.ts) and, still inside its
 * transaction and so before it can commit, *pins* the tags of every row it
 * locked: pinned answers are dropped, and no answer carrying a pinned tag is
 * stored until the write has ended (committed or rolled back). When it ends
 * the tags are unpinned and stamped with a fresh tick, and a load that began
 * before that tick may not store what it read. So:
 *
 * - an answer read before the commit is either dropped at the pin or refused
 *   when stored;
 * - once the write's answer is sent, every look-up of a row it touched reads
 *   the database or a value loaded after the commit.
 *
 * Look-ups of rows no write touches keep being served from memory, so a 95/5
 * read/write mix keeps its hit rate. It sees only this process's writes, so it
 * is for a single process (config `BATTERY_LOOKUP_CACHE`, off by default when
 * `REDIS_URL` says several processes share the database).
 */
export class LookupCache<V = unknown> {
  private readonly entries = new Map<string, { value: V; tags: readonly string[] }>();
  private readonly byTag = new Map<string, Set<string>>();
  private readonly pinned = new Map<string, number>();
  /** Tick of each tag's last pin or unpin; only loads still running need it. */
  private readonly changedAt = new Map<string, number>();
  private tick = 0;
  private loading = 0;
  hits = 0;
  misses = 0;

  constructor(
    private readonly tagsOf: (value: V) => readonly string[],
    private readonly maxEntries = 300_000,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  async get<T extends V>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const hit = this.entries.get(key);
    if (hit) {
      this.hits += 1;
      return hit.value as T;
    }
    this.misses += 1;
    const since = this.begin();
    try {
      const value = await load();
      if (value !== undefined) this.offer(since, key, value);
      return value;
    } finally {
      this.end();
    }
  }

  /**
   * Fills the cache from a scan (a warm-up at start): `since` from `begin()`
   * before the scan's query, and `end()` after its last `offer`.
   */
  begin(): number {
    this.loading += 1;
    return this.tick;
  }

  end(): void {
    this.loading -= 1;
    // No load is running that could have started before any recorded change.
    if (this.loading === 0) this.changedAt.clear();
  }

  /** Stores `value` unless a row it was built from was written after `since` or is being written now. */
  offer(since: number, key: string, value: V): boolean {
    const tags = this.tagsOf(value);
    for (const t of tags) {
      if (this.pinned.has(t) || (this.changedAt.get(t) ?? 0) > since) return false;
    }
    this.drop(key);
    if (this.entries.size >= this.maxEntries) this.drop(this.entries.keys().next().value!);
    this.entries.set(key, { value, tags });
    for (const t of tags) {
      let keys = this.byTag.get(t);
      if (!keys) this.byTag.set(t, (keys = new Set()));
      keys.add(key);
    }
    return true;
  }

  /**
   * Runs a write. `fn` must call `pin` with the tags of every row it locked,
   * inside its transaction, before it commits.
   */
  async write<T>(fn: (pin: (tags: readonly string[]) => void) => Promise<T>): Promise<T> {
    const held: string[] = [];
    const pin = (tags: readonly string[]) => {
      for (const t of tags) {
        this.pinned.set(t, (this.pinned.get(t) ?? 0) + 1);
        this.changedAt.set(t, ++this.tick);
        held.push(t);
        for (const key of this.byTag.get(t) ?? []) this.drop(key);
      }
    };
    try {
      return await fn(pin);
    } finally {
      for (const t of held) {
        const n = this.pinned.get(t)! - 1;
        if (n === 0) this.pinned.delete(t);
        else this.pinned.set(t, n);
        this.changedAt.set(t, ++this.tick);
      }
    }
  }

  private drop(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    for (const t of e.tags) {
      const keys = this.byTag.get(t);
      keys?.delete(key);
      if (keys?.size === 0) this.byTag.delete(t);
    }
  }
}
