/** One charger's latest message kept in memory: its action and receive time. */
export interface SeenEntry {
  chargerId: string;
  action: string;
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
 */
export class SeenBuffer {
  private pending = new Map<string, SeenEntry>();
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly write: (entries: SeenEntry[]) => Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Chargers whose time waits for the next flush. */
  get size(): number {
    return this.pending.size;
  }

  note(chargerId: string, action: string, at: Date): void {
    const had = this.pending.get(chargerId);
    if (!had || had.at <= at) this.pending.set(chargerId, { chargerId, action, at });
  }

  /** Removes and returns a charger's waiting entry (its socket closed: written with the disconnect). */
  take(chargerId: string): SeenEntry | undefined {
    const e = this.pending.get(chargerId);
    this.pending.delete(chargerId);
    return e;
  }

  /** Writes every waiting entry; resolves when they (and any flush before) are stored. A failure puts them back. */
  flush(): Promise<void> {
    const run = this.flushing.then(async () => {
      if (this.pending.size === 0) return;
      const entries = [...this.pending.values()];
      this.pending = new Map();
      try {
        await this.write(entries);
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
    this.timer = setInterval(() => this.flush().catch(this.onError), flushMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
