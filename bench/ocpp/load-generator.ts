import { Rng } from '../../sim/random.ts';
import { meterValues, start, status, stop } from './frames.ts';
import { emptyHistogram, record, type Histogram } from './histogram.ts';
import { mixCycle, type Mix, type MixAction } from './mix.ts';
import { sessionPlan, type PlannedCall, type SessionOptions } from './session-plan.ts';
import { WsCharger } from './ws-charger.ts';

/**
 * The load: chargers as plain `ws` connections (ws-charger.ts), in a process
 * of its own forked by run.ts so the driver does not share a CPU queue with
 * the server under test. Driven over IPC, one message per phase:
 * `connect` (handshake, BootNotification, and with `openSessions` a session
 * opened for MeterValues to belong to), `saturate` (closed loop: each charger
 * sends its next call as soon as the last is answered) and `sessions` (the
 * fixed-rate plan of session-plan.ts). Results are histograms (histogram.ts).
 */
export interface ConnectJob {
  type: 'connect';
  url: string;
  secret?: string;
  ids: string[];
  concurrency: number;
  openSessions: boolean;
  callTimeoutMs: number;
}
export interface SaturateJob {
  type: 'saturate';
  mix: Mix;
  warmupS: number;
  windowS: number;
}
export interface SessionsJob {
  type: 'sessions';
  options: SessionOptions;
  seed: number;
  /** Date.now() at which the measured window opens (the warm-up precedes it). */
  windowStartMs: number;
}
export type Job = ConnectJob | SaturateJob | SessionsJob | { type: 'close' };

export interface Connected {
  type: 'connected';
  connected: number;
  failures: number;
  sessionsOpen: number;
  seconds: number;
  errors: Record<string, number>;
}
export interface Measured {
  type: 'result';
  /** Latency by action of the calls answered within the window. */
  byAction: Record<string, Histogram>;
  /** CALLERRORs, time-outs and closed sockets, as `action: code`. */
  errors: Record<string, number>;
  /** Calls that waited behind their charger's previous call (sessions: latency counts from the planned time). */
  queued: number;
}

const send = (m: unknown) => process.send?.(m);
const GRACE_MS = 60_000;
let chargers: WsCharger[] = [];

function countError(errors: Record<string, number>, action: string, code = '?'): void {
  const k = `${action}: ${code}`;
  errors[k] = (errors[k] ?? 0) + 1;
}

async function connect(job: ConnectJob): Promise<Connected> {
  const t0 = performance.now();
  const errors: Record<string, number> = {};
  let failures = 0;
  let sessionsOpen = 0;
  const one = async (id: string, i: number) => {
    const c = new WsCharger(id, `TAG${id}`, job.callTimeoutMs);
    // From 100 loopback addresses (a site's chargers behind many NAT addresses), so the
    // server's per-address handshake cap does not refuse the bench; refused, retry like firmware.
    const localAddress = `127.0.0.${2 + (i % 100)}`;
    for (let attempt = 1; ; attempt++) {
      const boot = await c.connect(job.url, job.secret, localAddress);
      if (boot.ok && boot.payload?.status === 'Accepted') break;
      c.close();
      if (attempt === 5) {
        failures++;
        countError(errors, 'BootNotification', boot.error ?? String(boot.payload?.status));
        return;
      }
      await new Promise((r) => setTimeout(r, 1000 * attempt));
    }
    chargers.push(c);
    if (!job.openSessions) return;
    for (const [action, payload] of [
      ['StatusNotification', status('Preparing', c.stamp())],
      ['Authorize', { idTag: c.idTag }],
      ['StartTransaction', start(c.idTag, c.energyWh, c.stamp())],
      ['StatusNotification', status('Charging', c.stamp())],
    ] as const) {
      const a = await c.call(action, payload);
      if (!a.ok) return countError(errors, action, a.error);
      if (action === 'StartTransaction') c.transactionId = a.payload!.transactionId as number;
    }
    sessionsOpen++;
  };
  let next = 0;
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (next < job.ids.length) {
        const i = next++;
        await one(job.ids[i]!, i);
      }
    }),
  );
  return {
    type: 'connected',
    connected: chargers.length,
    failures,
    sessionsOpen,
    seconds: (performance.now() - t0) / 1000,
    errors,
  };
}

function mixPayload(c: WsCharger, action: MixAction): Record<string, unknown> {
  switch (action) {
    case 'Heartbeat':
      return {};
    case 'StatusNotification':
      return status('Charging', c.stamp());
    case 'MeterValues':
      c.energyWh += 20;
      return meterValues(c.transactionId, c.energyWh, c.stamp());
  }
}

/** Closed loop: warm-up, then the window; answers received within the window count. */
async function saturate(job: SaturateJob): Promise<Measured> {
  const cycle = mixCycle(job.mix);
  const byAction: Record<string, Histogram> = {};
  const errors: Record<string, number> = {};
  const windowStart = performance.now() + job.warmupS * 1000;
  const windowEnd = windowStart + job.windowS * 1000;
  const loop = async (c: WsCharger, k: number) => {
    for (let i = k; performance.now() < windowEnd; i++) {
      const action = cycle[i % cycle.length]!;
      const sent = performance.now();
      const a = await c.call(action, mixPayload(c, action));
      const at = performance.now();
      if (at < windowStart || at > windowEnd) continue;
      if (!a.ok) {
        countError(errors, action, a.error);
        if (a.error === 'closed') return;
        continue;
      }
      record((byAction[action] ??= emptyHistogram()), at - sent);
    }
  };
  await Promise.all(chargers.map(loop));
  return { type: 'result', byAction, errors, queued: 0 };
}

/** The fixed-rate plan: every charger's calls at their planned times, latency from the planned time. */
async function sessions(job: SessionsJob): Promise<Measured> {
  const o = job.options;
  const rng = new Rng(job.seed);
  const byAction: Record<string, Histogram> = {};
  const errors: Record<string, number> = {};
  let queued = 0;
  const meterWhPerSample = Math.round((22_000 * o.meterIntervalS) / 3600);
  interface Due {
    atMs: number;
    c: number;
    call: PlannedCall;
  }
  const due: Due[] = chargers
    .flatMap((ch, c) =>
      sessionPlan(o, rng.fork(ch.id)).map((call) => ({ atMs: job.windowStartMs + call.atS * 1000, c, call })),
    )
    .sort((a, b) => a.atMs - b.atMs);
  const waiting = chargers.map(() => [] as Due[]);
  let outstanding = due.length;
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));

  const payload = (ch: WsCharger, call: PlannedCall): Record<string, unknown> | undefined => {
    switch (call.action) {
      case 'Heartbeat':
        return {};
      case 'StatusNotification':
        return status(call.status!, ch.stamp());
      case 'Authorize':
        return { idTag: ch.idTag };
      case 'StartTransaction':
        return start(ch.idTag, ch.energyWh, ch.stamp());
      case 'MeterValues':
        ch.energyWh += meterWhPerSample;
        return meterValues(ch.transactionId, ch.energyWh, ch.stamp());
      case 'StopTransaction':
        return ch.transactionId === undefined ? undefined : stop(ch.transactionId, ch.energyWh, ch.stamp());
    }
  };
  const done = () => {
    if (--outstanding === 0) finish();
  };
  const fire = (d: Due) => {
    const ch = chargers[d.c]!;
    const p = payload(ch, d.call);
    if (!p) {
      if (d.call.measured) countError(errors, d.call.action, 'no transaction to stop');
      return next(d.c);
    }
    void ch.call(d.call.action, p).then((a) => {
      const ms = Date.now() - d.atMs;
      if (!a.ok) {
        if (d.call.measured) countError(errors, d.call.action, a.error);
      } else {
        if (d.call.action === 'StartTransaction') ch.transactionId = a.payload!.transactionId as number;
        if (d.call.action === 'StopTransaction') ch.transactionId = undefined;
        if (d.call.measured) record((byAction[d.call.action] ??= emptyHistogram()), ms);
      }
      next(d.c);
    });
  };
  let over = false; // given up or finished: late answers start nothing more
  const next = (c: number) => {
    if (over) return;
    done();
    const d = waiting[c]!.shift();
    if (d) fire(d);
  };
  let cursor = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    while (cursor < due.length && due[cursor]!.atMs <= now) {
      const d = due[cursor++]!;
      if (chargers[d.c]!.busy || waiting[d.c]!.length) {
        waiting[d.c]!.push(d);
        if (d.call.measured) queued++;
      } else fire(d);
    }
  }, 5);
  const progress = setInterval(
    () =>
      send({
        type: 'progress',
        secondsIntoWindow: (Date.now() - job.windowStartMs) / 1000,
        answered: Object.values(byAction).reduce((n, h) => n + h.n, 0),
        errors: Object.values(errors).reduce((n, e) => n + e, 0),
      }),
    30_000,
  );
  if (due.length === 0) finish();
  // A server far behind would keep the run going for each queued call's time-out in turn: a minute
  // after the window closes, whatever is still planned or unanswered is counted as such and dropped.
  const giveUp = setTimeout(finish, job.windowStartMs + o.windowS * 1000 + GRACE_MS - Date.now());
  await finished;
  over = true;
  clearTimeout(giveUp);
  if (outstanding > 0) {
    const left = [...due.slice(cursor), ...waiting.flat()].filter((d) => d.call.measured).length;
    if (left) errors['not sent by the end (behind)'] = left;
    const inFlight = chargers.filter((c) => c.busy).length;
    if (inFlight) errors['unanswered at the end'] = inFlight;
  }
  clearInterval(timer);
  clearInterval(progress);
  return { type: 'result', byAction, errors, queued };
}

process.on('message', (job: Job) => {
  const work: Promise<unknown> =
    job.type === 'connect'
      ? connect(job)
      : job.type === 'saturate'
        ? saturate(job)
        : job.type === 'sessions'
          ? sessions(job)
          : Promise.resolve(undefined);
  work.then(
    (reply) => {
      if (reply) return send(reply);
      for (const c of chargers) c.close();
      chargers = [];
      setTimeout(() => process.exit(0), 50);
    },
    (err) => {
      send({ type: 'error', error: String((err as Error).stack ?? err) });
      process.exit(1);
    },
  );
});
send({ type: 'ready' });
