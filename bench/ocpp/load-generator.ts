import WebSocket from 'ws';
import { BOOT, nextCall, type ChargerScript } from './frames.ts';

/**
 * The load: M chargers as plain `ws` connections speaking OCPP 1.6J by hand
 * (an RPCClient each would cost the generator more than the server under
 * test). Runs in its own process (forked by run.ts), so it does not share a
 * CPU queue with the server. Each charger keeps at most one CALL in flight
 * (OCPP-J §4.1.1); a scheduler spreads `rate` calls per second over them.
 */
interface Job {
  url: string;
  chargers: number;
  prefix: string;
  secret?: string;
  rate: number;
  durationS: number;
  connectConcurrency: number;
}

interface Conn {
  id: string;
  ws: WebSocket;
  script: ChargerScript;
  pending?: { msgId: string; action: string; sentAt: number };
  seq: number;
}

const send = (m: unknown) => process.send?.(m);

async function run(job: Job): Promise<void> {
  const conns: Conn[] = [];
  const latencies: number[] = [];
  const perAction = new Map<string, number[]>();
  let errors = 0;
  let answered = 0;
  let connectFailures = 0;
  let measuring = false;

  const call = (c: Conn, action: string, payload: Record<string, unknown>) => {
    const msgId = `${c.id}-${c.seq++}`;
    c.pending = { msgId, action, sentAt: performance.now() };
    c.ws.send(JSON.stringify([2, msgId, action, payload]));
  };

  const open = (i: number) =>
    new Promise<void>((resolve) => {
      const id = `${job.prefix}${String(i).padStart(5, '0')}`;
      const headers: Record<string, string> = job.secret
        ? { authorization: `Basic ${Buffer.from(`${id}:${job.secret}`).toString('base64')}` }
        : {};
      const ws = new WebSocket(`${job.url}/${id}`, ['ocpp1.6'], { headers, perMessageDeflate: false });
      const c: Conn = { id, ws, script: { step: 0, meterWh: i * 1000 }, seq: 0 };
      let settled = false;
      ws.on('open', () => {
        conns.push(c);
        call(c, 'BootNotification', { ...BOOT, chargePointSerialNumber: id });
      });
      ws.on('message', (data) => {
        const msg = JSON.parse(String(data)) as unknown[];
        if (msg[0] === 2) {
          // a command from the server: answer "not implemented" (the bench sends none)
          ws.send(JSON.stringify([4, msg[1], 'NotImplemented', '', {}]));
          return;
        }
        const p = c.pending;
        if (!p || msg[1] !== p.msgId) return;
        c.pending = undefined;
        if (msg[0] === 4) errors++;
        else if (p.action === 'StartTransaction')
          c.script.transactionId = (msg[2] as { transactionId: number }).transactionId;
        if (measuring) {
          const ms = performance.now() - p.sentAt;
          latencies.push(ms);
          let own = perAction.get(p.action);
          if (!own) perAction.set(p.action, (own = []));
          own.push(ms);
          answered++;
        }
        if (!settled && p.action === 'BootNotification') {
          settled = true;
          resolve();
        }
      });
      ws.on('error', () => {
        if (!settled) {
          settled = true;
          connectFailures++;
          resolve();
        }
      });
      ws.on('close', () => {
        const k = conns.indexOf(c);
        if (k >= 0) conns.splice(k, 1);
      });
    });

  const t0 = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: job.connectConcurrency }, async () => {
      while (next < job.chargers) await open(next++);
    }),
  );
  send({
    type: 'connected',
    connected: conns.length,
    failures: connectFailures,
    seconds: (performance.now() - t0) / 1000,
  });

  // Steady phase: every 10 ms, rate/100 calls from the next idle chargers, round robin.
  measuring = true;
  let cursor = 0;
  let skipped = 0;
  const start = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      // credit from elapsed time, so a late timer (busy machine) does not lower the rate
      let credit = (job.rate * (performance.now() - start)) / 1000 - sent - skipped;
      let scanned = 0;
      while (credit >= 1 && scanned < conns.length) {
        const c = conns[cursor++ % conns.length]!;
        scanned++;
        if (c.pending) continue;
        const [action, payload] = nextCall(c.script, new Date());
        call(c, action, payload);
        credit--;
        sent++;
      }
      if (credit >= 1) skipped += Math.floor(credit); // every charger busy: the server is behind
      if (performance.now() - start >= job.durationS * 1000) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  await new Promise((r) => setTimeout(r, 1000)); // let the last answers arrive
  measuring = false;
  const elapsed = (performance.now() - start) / 1000;
  const quantile = (sorted: number[], p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
  latencies.sort((a, b) => a - b);
  const q = (p: number) => quantile(latencies, p);
  const actions = Object.fromEntries(
    [...perAction].map(([action, ms]) => {
      ms.sort((a, b) => a - b);
      return [action, { n: ms.length, p50: quantile(ms, 0.5), p99: quantile(ms, 0.99) }];
    }),
  );
  send({
    type: 'result',
    held: conns.length,
    answered,
    errors,
    skipped,
    callsPerSecond: answered / elapsed,
    p50: q(0.5),
    p99: q(0.99),
    max: latencies.at(-1) ?? NaN,
    actions,
  });
  for (const c of conns) c.ws.terminate();
}

process.on('message', (job: Job) => {
  run(job).then(
    () => process.exit(0),
    (err) => {
      send({ type: 'error', error: String(err) });
      process.exit(1);
    },
  );
});
