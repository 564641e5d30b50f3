import { readFileSync } from 'node:fs';
import { SERVER_TIMEOUTS } from './charger.ts';
import type { StormResult } from './generator.ts';

/** What the server says about the storm: its refusals by reason, the secret checks by kind, CPU and memory. */
export interface ServerFigures {
  refused: Record<string, number>;
  secretChecks: Record<string, number>;
  /** Group-committed batches by kind: how many, and chargers per batch on average. */
  batches: Record<string, { count: number; mean: number }>;
  cpuSeconds: number;
  rssMb: number;
}

function counters(text: string, name: string, label: string): Record<string, number> {
  const out: Record<string, number> = {};
  const re = new RegExp(`^${name}\\{[^}]*${label}="([^"]+)"[^}]*\\} (\\d+(?:\\.\\d+)?)$`, 'gm');
  for (const m of text.matchAll(re)) out[m[1]!] = (out[m[1]!] ?? 0) + Number(m[2]);
  return out;
}

export function serverFigures(metrics: string | undefined, pid: number): ServerFigures {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(stat[11]) + Number(stat[12]); // utime + stime, in clock ticks (100/s on Linux)
  const rss = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return {
    refused: metrics ? counters(metrics, 'websocket_handshakes_refused_total', 'reason') : {},
    secretChecks: metrics ? counters(metrics, 'ocpp_secret_checks_total', 'kind') : {},
    batches: metrics ? batchFigures(metrics) : {},
    cpuSeconds: ticks / 100,
    rssMb: rss ? Number(rss[1]) / 1024 : NaN,
  };
}

function batchFigures(text: string): Record<string, { count: number; mean: number }> {
  const sums = counters(text, 'ocpp_write_batch_size_sum', 'batch');
  const counts = counters(text, 'ocpp_write_batch_size_count', 'batch');
  return Object.fromEntries(
    Object.entries(counts).map(([k, n]) => [k, { count: n, mean: n ? (sums[k] ?? 0) / n : 0 }]),
  );
}

const ms = (q: { p50: number; p99: number; max: number }) =>
  `p50 ${q.p50.toFixed(0)} ms, p99 ${q.p99.toFixed(0)} ms, max ${q.max.toFixed(0)} ms`;
const list = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ') || 'none';

/** The issue's targets: every charger accepted within `withinS`, and no retry caused by a server time-out. */
export function verdict(r: StormResult, withinS: number): string {
  const timeouts = SERVER_TIMEOUTS.reduce((n, c) => n + r.retries[c], 0);
  const all = r.accepted === r.chargers;
  const inTime = all && r.lastAcceptedS <= withinS;
  const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');
  return `    target: all ${r.chargers} accepted (${mark(all)}), the last within ${withinS} s (${mark(inTime)}: ${r.lastAcceptedS.toFixed(1)} s), no retry caused by a server time-out (${mark(timeouts === 0)}: ${timeouts})`;
}

export function formatResult(name: string, r: StormResult, s?: ServerFigures, metricsRead = true): string {
  const total = Object.values(r.retries).reduce((a, b) => a + b, 0);
  const lines = [
    `  ${name}:`,
    `    accepted ${r.accepted}/${r.chargers} (sequence done ${r.done}); last BootNotification Accepted at ${r.lastAcceptedS.toFixed(1)} s, last Heartbeat answered at ${r.lastDoneS.toFixed(1)} s`,
    `    handshake→Accepted ${ms(r.handshakeToAccepted)}; first attempt→Accepted ${ms(r.firstAttemptToAccepted)}`,
    `    of which the handshake ${ms(r.handshake)}, BootNotification round trip ${ms(r.bootRoundTrip)}`,
    `    retries ${total} (${r.chargersRetrying} chargers): ${list(r.retries)}`,
  ];
  if (r.details.length) lines.push(`    retry details: ${r.details.map(([d, n]) => `${n}× ${d}`).join('; ')}`);
  if (s) {
    const batches =
      Object.entries(s.batches)
        .map(([k, b]) => `${k} ${b.count} (${b.mean.toFixed(1)} per batch)`)
        .join(', ') || 'none';
    const figures = metricsRead
      ? `handshakes refused ${list(s.refused)}; secret checks ${list(s.secretChecks)}; batches ${batches}; `
      : '';
    lines.push(
      `    server: ${figures}CPU ${s.cpuSeconds.toFixed(1)} s (since start); peak RSS ${s.rssMb.toFixed(0)} MB`,
    );
  }
  return lines.join('\n');
}
