import { performance } from 'node:perf_hooks';

/**
 * Runs one async job at a time, debounced: `schedule(delay)` runs it after
 * `delay` ms unless a run is due sooner; asked while it runs, it runs again
 * after it. A run answering false (unsettled) or throwing is retried after
 * `retryMs`. The load controller's rounds (controller.ts): one at a time, so
 * the order of lowers and raises holds across them.
 *
 * A run starts no sooner than its predecessor's duration times `spacing`
 * after that one ended (at most `maxGapMs`): a round walks the whole site, so
 * at 10,000 chargers, with a status somewhere every few milliseconds, rounds
 * back to back would take most of the process's core from the chargers' own
 * calls. With spacing 2 they take at most a third of it.
 */
export class SerialRunner {
  private timer: NodeJS.Timeout | undefined;
  private dueAt = Infinity;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private idle: (() => void)[] = [];
  private lastEnd = -Infinity;
  private lastRunMs = 0;

  constructor(
    private readonly job: () => Promise<boolean>,
    private readonly opts: {
      debounceMs: number;
      retryMs: number;
      onError: (err: unknown) => void;
      allowed: () => boolean;
      spacing?: number;
      maxGapMs?: number;
    },
  ) {}

  /** The earliest a new run may start (see the class comment). */
  private earliest(): number {
    const gap = Math.min(this.lastRunMs * (this.opts.spacing ?? 0), this.opts.maxGapMs ?? Infinity);
    return this.lastEnd + gap;
  }

  schedule(delay = this.opts.debounceMs): void {
    if (this.stopped || !this.opts.allowed()) return;
    if (this.running) {
      this.again = true;
      return;
    }
    const now = performance.now();
    const due = Math.max(now + delay, this.earliest());
    if (this.timer && this.dueAt <= due) return;
    clearTimeout(this.timer);
    this.dueAt = due;
    this.timer = setTimeout(() => this.start(), due - now);
  }

  /** Resolves once nothing runs or waits to run. */
  settle(): Promise<void> {
    if (!this.timer && !this.running) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Nothing new starts; a run under way finishes. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  async close(): Promise<void> {
    this.stop();
    await this.running;
    for (const r of this.idle.splice(0)) r();
  }

  private start(): void {
    this.timer = undefined;
    this.dueAt = Infinity;
    let retry = false;
    const began = performance.now();
    this.running = this.job()
      .then((settled) => {
        retry = !settled;
      })
      .catch((err) => {
        retry = true;
        this.opts.onError(err);
      })
      .finally(() => {
        this.running = undefined;
        this.lastEnd = performance.now();
        this.lastRunMs = this.lastEnd - began;
        if (this.again || retry) this.schedule(retry ? this.opts.retryMs : this.opts.debounceMs);
        this.again = false;
        if (!this.timer && !this.running) for (const r of this.idle.splice(0)) r();
      });
  }
}
