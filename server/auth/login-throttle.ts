import type { Clock } from '../clock.ts';

/**
 * Slows down password guessing (SPEC §8): after FREE failures for a username or
 * an address, each further attempt waits twice as long as the last, up to
 * MAX_DELAY_MS; past LOCK_AFTER failures in the window the answer is 429.
 * Kept in memory: per process, which is enough to make guessing slow.
 */
const FREE = 3;
const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 4000;
const LOCK_AFTER = 10;
const WINDOW_MS = 15 * 60_000;
const MAX_KEYS = 10_000;

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Entry {
  failures: number;
  first: number;
}

export class LoginThrottle {
  private entries = new Map<string, Entry>();
  constructor(
    private clock: Clock,
    private sleep: (ms: number) => Promise<void> = defaultSleep,
  ) {}

  private get(key: string): Entry | undefined {
    const e = this.entries.get(key);
    if (e && this.clock.now().getTime() - e.first > WINDOW_MS) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  /** Failures counted against the worse of the two keys. */
  failures(keys: string[]): number {
    return Math.max(0, ...keys.map((k) => this.get(k)?.failures ?? 0));
  }

  locked(keys: string[]): boolean {
    return this.failures(keys) >= LOCK_AFTER;
  }

  delayFor(failures: number): number {
    if (failures < FREE) return 0;
    return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (failures - FREE));
  }

  /** Waits as long as the recorded failures require. */
  async wait(keys: string[]): Promise<void> {
    const ms = this.delayFor(this.failures(keys));
    if (ms > 0) await this.sleep(ms);
  }

  fail(keys: string[]): void {
    if (this.entries.size > MAX_KEYS) this.entries.clear();
    for (const k of keys) {
      const e = this.get(k);
      if (e) e.failures += 1;
      else this.entries.set(k, { failures: 1, first: this.clock.now().getTime() });
    }
  }

  succeed(keys: string[]): void {
    for (const k of keys) this.entries.delete(k);
  }
}
