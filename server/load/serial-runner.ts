import { performance } from 'node:perf_hooks';

/**
 * Runs one async job at a time, debounced: `schedule(delay)` runs it after
 * `delay` ms unless a run is due sooner; asked while it runs, it runs again
 * after it. A run answering false (unsettled) or throwing is retried after
 * `retryMs`. The load controller's rounds (controller.ts): one at a time, so
 * the order of lowers and raises holds across them.
 */
export class SerialRunner {
  private timer: NodeJS.Timeout | undefined;
  private dueAt = Infinity;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private idle: (() => void)[] = [];

  constructor(
    private readonly job: () => Promise<boolean>,
    private readonly opts: {
      debounceMs: number;
      retryMs: number;
      onError: (err: unknown) => void;
      allowed: () => boolean;
    },
  ) {}

  schedule(delay = this.opts.debounceMs): void {
    if (this.stopped || !this.opts.allowed()) return;
    if (this.running) {
      this.again = true;
      return;
    }
    const due = performance.now() + delay;
    if (this.timer && this.dueAt <= due) return;
    clearTimeout(this.timer);
    this.dueAt = due;
    this.timer = setTimeout(() => this.start(), delay);
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
        if (this.again || retry) this.schedule(retry ? this.opts.retryMs : this.opts.debounceMs);
        this.again = false;
        if (!this.timer && !this.running) for (const r of this.idle.splice(0)) r();
      });
  }
}
