/**
 * How many scrypt checks may run and wait at once. scrypt runs on libuv's
 * thread pool (four threads unless UV_THREADPOOL_SIZE says otherwise), so
 * more than that at once only queue there, ahead of file and DNS work; and a
 * check that waits longer than the handshake's patience is wasted: the
 * charger has hung up, or the handshake deadline answered it 503, and it
 * comes back for another. So a check runs at once while fewer than
 * `concurrency` run, waits while the expected wait (those ahead of it, at
 * the average time a check has lately taken) stays within `maxWaitMs`, and
 * beyond that is refused, so its caller can answer "busy, come back" at
 * once. The expected wait follows the machine: on two busy cores a check
 * takes four times what it takes on a quiet one.
 *
 * The times are real (performance.now): this is about load, not business time.
 */
export interface ScryptGateOptions {
  concurrency: number;
  maxWaitMs: number;
}

export const SCRYPT_GATE_DEFAULTS: ScryptGateOptions = {
  concurrency: 4,
  // Well inside WS_HANDSHAKE_TIMEOUT_MS (20 s) and the 10-30 s chargers give a handshake.
  maxWaitMs: 5_000,
};

/** Weight of the newest check in the running average (the last ~10 count). */
const SMOOTHING = 0.1;

export class ScryptGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** Milliseconds a check took lately, start to end; a first guess until one has run. */
  private averageMs = 100;

  constructor(private readonly opts: ScryptGateOptions = SCRYPT_GATE_DEFAULTS) {}

  /** Runs `check` when a slot is free; undefined (and nothing run) when the wait would be too long. */
  run<T>(check: () => Promise<T>): Promise<T> | undefined {
    if (this.running >= this.opts.concurrency) {
      const expectedWaitMs = ((this.waiting.length + 1) * this.averageMs) / this.opts.concurrency;
      if (expectedWaitMs > this.opts.maxWaitMs) return undefined;
    }
    return this.enter().then(async () => {
      const started = performance.now();
      try {
        return await check();
      } finally {
        this.averageMs += SMOOTHING * (performance.now() - started - this.averageMs);
        this.leave();
      }
    });
  }

  private enter(): Promise<void> {
    if (this.running < this.opts.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private leave(): void {
    const next = this.waiting.shift();
    if (next)
      next(); // the slot passes straight to the next waiter
    else this.running--;
  }
}
