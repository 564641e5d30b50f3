import type { SimClock } from '../../sim/clock.ts';

interface Sleeper {
  due: number;
  resolve: () => void;
}

/**
 * A simulator clock that only moves when the test says so: `sleep` parks the
 * caller until `advance` passes its due time. `sleeping` lets the test wait
 * for an event (someone started a wait) instead of guessing with real time.
 */
export class SteppedClock implements SimClock {
  private t: number;
  private sleepers: Sleeper[] = [];
  private watchers = new Set<() => void>();

  constructor(start: Date | string) {
    this.t = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.t);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const sleeper: Sleeper = { due: this.t + Math.max(0, ms), resolve };
      const abort = () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        resolve();
      };
      signal?.addEventListener('abort', abort, { once: true });
      sleeper.resolve = () => {
        signal?.removeEventListener('abort', abort);
        resolve();
      };
      this.sleepers.push(sleeper);
      for (const w of [...this.watchers]) w();
    });
  }

  /** Due times (ms since the epoch) of the waits in progress. */
  get pending(): number[] {
    return this.sleepers.map((s) => s.due).sort((a, b) => a - b);
  }

  /** Resolves once a wait due exactly `ms` from now is in progress (already, or when it begins). */
  sleeping(ms: number, timeoutMs = 10_000): Promise<void> {
    const hit = () => this.sleepers.some((s) => s.due === this.t + ms);
    if (hit()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.watchers.delete(check);
        reject(new Error(`no wait of ${ms} ms began (waiting: ${this.pending.map((d) => d - this.t).join(', ')})`));
      }, timeoutMs);
      const check = () => {
        if (!hit()) return;
        clearTimeout(timer);
        this.watchers.delete(check);
        resolve();
      };
      this.watchers.add(check);
    });
  }

  /**
   * Moves time forward by `ms`, waking every wait due by then in due order:
   * the clock stands at each one's due time when it wakes, and what it starts
   * synchronously (a message, its next wait) runs before the next one wakes.
   */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    for (;;) {
      const next = this.sleepers.filter((s) => s.due <= target).sort((a, b) => a.due - b.due)[0];
      if (!next) break;
      this.sleepers = this.sleepers.filter((s) => s !== next);
      this.t = next.due;
      next.resolve();
      await new Promise<void>((r) => setImmediate(r));
    }
    this.t = target;
  }
}
