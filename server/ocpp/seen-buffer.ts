/** One charger's latest message kept in memory: its action and receive time. */
export interface SeenEntry {
  chargerId: string;
  action: string;
  at: Date;
}

/** One charger's latest clock-skew figure (clock-skew.ts) and when it was measured. */
export interface SkewEntry {
  chargerId: string;
  ms: number;
  at: Date;
}

/**
 * Heartbeats (OCPP 1.6 §4.6) and last-seen times in memory, written in one
 * statement every few seconds (issue #13: no write for what need not be
 * written at once). A Heartbeat stores nothing a charger would resend: it is
 * proof of life, so its answer need not wait for a commit. What is lost
 * is bounded: a process killed loses at most `flushMs` of last-seen times,
 * which the next message (or the reconnect's own write) replaces.
 *
 * Offline detection (offline.ts) reads `last_seen_at`: the sweep flushes this
 * buffer first, and another process's sweep sees times at most `flushMs`
 * old, far inside the `OCPP_OFFLINE_AFTER_INTERVALS` × heartbeat interval it
 * judges by (docs/OPERATIONS.md "Offline detection").
 *
 * The same holds for a charger's clock-skew figure (clock-skew.ts, entries
 * SkewEntry): a diagnostic, refreshed every minute per connection, which at
 * 10,000 chargers was a single-row update 170 times a second.
 */
export class SeenBuffer<E extends { chargerId: string; at: Date } = SeenEntry> {
  private pending = new Map<string, E>();
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    /** Stores the entries; with `skipLocked`, leaves a row another transaction holds and answers its charger ids. */
    private readonly write: (entries: E[], skipLocked: boolean) => Promise<string[]>,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Chargers whose time waits for the next flush. */
  get size(): number {
    return this.pending.size;
  }

  /** Keeps the entry unless a newer one of its charger waits already. */
  note(entry: E): void {
    const had = this.pending.get(entry.chargerId);
    if (!had || had.at <= entry.at) this.pending.set(entry.chargerId, entry);
  }

  /** Removes and returns a charger's waiting entry (its socket closed: written with the disconnect). */
  take(chargerId: string): E | undefined {
    const e = this.pending.get(chargerId);
    this.pending.delete(chargerId);
    return e;
  }

  /**
   * Writes every waiting entry; resolves when they (and any flush before) are
   * stored. A failure puts them back. The periodic flush passes `skipLocked`:
   * a charger whose row a transaction of its own holds (a StartTransaction,
   * a batch of statuses) keeps its entry for the next flush instead of
   * making the flush wait, holding every other row it locked meanwhile, and
   * everything that touches those rows wait behind it in turn.
   */
  flush(opts: { skipLocked?: boolean } = {}): Promise<void> {
    const run = this.flushing.then(async () => {
      if (this.pending.size === 0) return;
      const entries = [...this.pending.values()];
      this.pending = new Map();
      try {
        const skipped = new Set(await this.write(entries, opts.skipLocked ?? false));
        for (const e of entries)
          if (skipped.has(e.chargerId) && !this.pending.has(e.chargerId)) this.pending.set(e.chargerId, e);
      } catch (err) {
        // Kept for the next flush unless a newer one of the charger came meanwhile.
        for (const e of entries) if (!this.pending.has(e.chargerId)) this.pending.set(e.chargerId, e);
        throw err;
      }
    });
    this.flushing = run.catch(() => undefined);
    return run;
  }

  /** Flushes every `flushMs` (real time: this is about load, not business time) until `stop`. */
  start(flushMs: number): void {
    this.timer = setInterval(() => this.flush({ skipLocked: true }).catch(this.onError), flushMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
