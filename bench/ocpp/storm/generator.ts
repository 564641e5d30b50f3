import { Rng } from '../../../sim/random.ts';
import { RETRY_CAUSES, StormCharger, type RetryCause } from './charger.ts';
import { openFileLimit } from './limits.ts';

/**
 * The storm's load generator, forked by storm/run.ts so it does not share a
 * CPU queue with the server: N chargers whose first attempts are spread
 * uniformly over `spreadS` seconds, each from one of `addresses` loopback
 * source addresses (a site's chargers behind one NAT address), then held
 * open until every one has finished its boot sequence or `giveUpS` passes.
 */
export interface StormJob {
  url: string;
  chargers: number;
  prefix: string;
  /** One secret per charger id, or one for all. */
  secret: string | Record<string, string>;
  spreadS: number;
  addresses: string[];
  handshakeTimeoutMs: number;
  callTimeoutMs: number;
  giveUpS: number;
  seed: number;
}

export interface StormResult {
  chargers: number;
  accepted: number;
  done: number;
  /** Seconds from the storm's start to the last BootNotification Accepted, and to the last Heartbeat answered. */
  lastAcceptedS: number;
  lastDoneS: number;
  /** Milliseconds from the start of the handshake that got in to its BootNotification Accepted. */
  handshakeToAccepted: { p50: number; p99: number; max: number };
  /** The two halves of that: the WebSocket handshake (to open), and the BootNotification's round trip. */
  handshake: { p50: number; p99: number; max: number };
  bootRoundTrip: { p50: number; p99: number; max: number };
  /** Milliseconds from a charger's first attempt to its BootNotification Accepted (retries included). */
  firstAttemptToAccepted: { p50: number; p99: number; max: number };
  retries: Record<RetryCause, number>;
  chargersRetrying: number;
  /** The most common details of the retries, with their counts. */
  details: [string, number][];
  fileLimit: number;
}

export const chargerId = (prefix: string, i: number) => `${prefix}${String(i).padStart(5, '0')}`;

const send = (m: unknown) => process.send?.(m);

function quantiles(values: number[]) {
  const v = [...values].sort((a, b) => a - b);
  const q = (p: number) => v[Math.min(v.length - 1, Math.floor(p * v.length))] ?? NaN;
  return { p50: q(0.5), p99: q(0.99), max: v.at(-1) ?? NaN };
}

async function run(job: StormJob): Promise<StormResult> {
  const rng = new Rng(job.seed);
  const all: StormCharger[] = [];
  let done = 0;
  const t0 = performance.now();
  const finished = new Promise<void>((resolve) => {
    const onDone = () => {
      if (++done === job.chargers) resolve();
    };
    for (let i = 0; i < job.chargers; i++) {
      const id = chargerId(job.prefix, i);
      const secret = typeof job.secret === 'string' ? job.secret : job.secret[id]!;
      const c = new StormCharger(
        {
          id,
          url: job.url,
          secret,
          localAddress: job.addresses[i % job.addresses.length]!,
          handshakeTimeoutMs: job.handshakeTimeoutMs,
          callTimeoutMs: job.callTimeoutMs,
        },
        rng.fork(id),
        onDone,
      );
      all.push(c);
      setTimeout(() => c.start(), (i * job.spreadS * 1000) / job.chargers);
    }
  });
  const progress = setInterval(() => {
    const accepted = all.filter((c) => c.outcome.acceptedAt !== undefined).length;
    send({ type: 'progress', seconds: (performance.now() - t0) / 1000, accepted, done });
  }, 5000);
  let giveUp: NodeJS.Timeout | undefined;
  await Promise.race([finished, new Promise<void>((r) => (giveUp = setTimeout(r, job.giveUpS * 1000)))]);
  clearInterval(progress);
  clearTimeout(giveUp);

  const accepted = all.filter((c) => c.outcome.acceptedAt !== undefined);
  const retries = Object.fromEntries(RETRY_CAUSES.map((k) => [k, 0])) as Record<RetryCause, number>;
  const details = new Map<string, number>();
  let chargersRetrying = 0;
  for (const c of all) {
    if (c.outcome.attempts > 1 || Object.keys(c.outcome.retries).length) chargersRetrying++;
    for (const [k, n] of Object.entries(c.outcome.retries)) retries[k as RetryCause] += n;
    for (const d of c.outcome.details) details.set(d, (details.get(d) ?? 0) + 1);
  }
  const result: StormResult = {
    chargers: job.chargers,
    accepted: accepted.length,
    done,
    lastAcceptedS: (Math.max(...accepted.map((c) => c.outcome.acceptedAt!)) - t0) / 1000,
    lastDoneS:
      (Math.max(...all.filter((c) => c.outcome.doneAt !== undefined).map((c) => c.outcome.doneAt!)) - t0) / 1000,
    handshakeToAccepted: quantiles(accepted.map((c) => c.outcome.acceptedAt! - c.outcome.handshakeAt!)),
    handshake: quantiles(accepted.map((c) => c.outcome.openedAt! - c.outcome.handshakeAt!)),
    bootRoundTrip: quantiles(accepted.map((c) => c.outcome.acceptedAt! - c.outcome.openedAt!)),
    firstAttemptToAccepted: quantiles(accepted.map((c) => c.outcome.acceptedAt! - c.outcome.firstAttemptAt)),
    retries,
    chargersRetrying,
    details: [...details].sort((a, b) => b[1] - a[1]).slice(0, 8),
    fileLimit: openFileLimit(),
  };
  for (const c of all) c.close();
  return result;
}

process.on('message', (job: StormJob) => {
  run(job).then(
    (result) => {
      send({ type: 'result', result });
      // let the message leave before the process does
      setTimeout(() => process.exit(0), 100);
    },
    (err) => {
      send({ type: 'error', error: String((err as Error).stack ?? err) });
      process.exit(1);
    },
  );
});
send({ type: 'ready', fileLimit: openFileLimit() });
