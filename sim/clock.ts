/**
 * Simulated time. A charger reads "now" and waits through one of these, so a
 * run can go faster than real time (live demo), as fast as the server answers
 * (history back-fill) or step by step (tests), and stay reproducible.
 */
export interface SimClock {
  now(): Date;
  /** Waits `ms` of simulated time; resolves early (without throwing) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Real time, `speed` times faster: at speed 60 a simulated minute takes a real second. */
export class ScaledClock implements SimClock {
  private readonly realStart = Date.now();
  private readonly simStart: number;
  constructor(
    readonly speed = 1,
    start: Date = new Date(),
  ) {
    if (!(speed > 0)) throw new Error('speed must be positive');
    this.simStart = start.getTime();
  }
  now(): Date {
    return new Date(this.simStart + (Date.now() - this.realStart) * this.speed);
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return abortableTimeout(Math.max(0, ms / this.speed), signal);
  }
}

/**
 * Time that jumps: sleeping advances it at once (after yielding to the event
 * loop). One instance per charger keeps each charger's timeline independent
 * of the others and of the machine's speed: the same seed gives the same run.
 */
export class VirtualClock implements SimClock {
  private t: number;
  constructor(start: Date | string) {
    this.t = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.t);
  }
  set(to: Date): void {
    this.t = to.getTime();
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (!signal?.aborted) this.t += Math.max(0, ms);
  }
}

export function abortableTimeout(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
