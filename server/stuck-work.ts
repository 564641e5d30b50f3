import { Counter, Gauge, type Registry } from 'prom-client';

/** What can be stuck: an OCPP handler (ocpp/deadline.ts) or a REST handler (plugins/deadline.ts). */
export type StuckKind = 'ocpp' | 'http';

/**
 * Work that outlived its deadline and has not finished yet. Its caller was
 * already answered (CALLERROR or 503); the count says how much is still
 * hanging on something (a frozen database connection, most likely), which
 * /healthz reports as unhealthy and /metrics as a gauge.
 */
export class StuckWork {
  private readonly now: Record<StuckKind, number> = { ocpp: 0, http: 0 };
  private readonly expired: Counter<'kind'>;
  private waiters: (() => void)[] = [];

  constructor(registry: Registry) {
    const counts = this.now;
    new Gauge({
      name: 'stuck_work',
      help: 'Handlers past their deadline and not finished yet, by kind (ocpp, http)',
      labelNames: ['kind'],
      registers: [registry],
      collect() {
        for (const kind of Object.keys(counts) as StuckKind[]) this.set({ kind }, counts[kind]);
      },
    });
    this.expired = new Counter({
      name: 'deadline_exceeded_total',
      help: 'Handlers and requests answered at their deadline instead of by their own result, by kind',
      labelNames: ['kind'],
      registers: [registry],
    });
  }

  /** Counts a deadline that passed; returns the function that marks the work finished (callable once). */
  expire(kind: StuckKind, stillRunning: boolean): () => void {
    this.expired.inc({ kind });
    if (!stillRunning) return () => {};
    this.now[kind]++;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      this.now[kind]--;
      if (this.total() === 0) for (const w of this.waiters.splice(0)) w();
    };
  }

  get(kind: StuckKind): number {
    return this.now[kind];
  }

  total(): number {
    return this.now.ocpp + this.now.http;
  }

  /** Resolves once nothing is stuck (at once when nothing is). */
  settled(): Promise<void> {
    return this.total() === 0 ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}

/**
 * Runs `work`; past `ms` the returned promise rejects with `late()` while the
 * work goes on, counted as stuck until it settles. Its late result or error
 * goes to `after` and nowhere else.
 */
export function withDeadline<T>(
  stuck: StuckWork,
  kind: StuckKind,
  ms: number,
  work: () => Promise<T>,
  late: () => unknown,
  after: (outcome: { ok: true; value: T } | { ok: false; error: unknown }) => void = () => {},
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let finish: (() => void) | undefined;
    const timer = setTimeout(() => {
      finish = stuck.expire(kind, true);
      reject(late());
    }, ms);
    const settle = (outcome: { ok: true; value: T } | { ok: false; error: unknown }) => {
      clearTimeout(timer);
      if (finish) {
        finish();
        after(outcome);
      } else if (outcome.ok) resolve(outcome.value);
      else reject(outcome.error);
    };
    let running: Promise<T>;
    try {
      running = work();
    } catch (error) {
      settle({ ok: false, error });
      return;
    }
    running.then(
      (value) => settle({ ok: true, value }),
      (error: unknown) => settle({ ok: false, error }),
    );
  });
}
