import type { ChargePoint } from './charge-point.ts';
import { nextArrival, plugDurationS } from './arrivals.ts';
import { VirtualClock } from './clock.ts';
import { runSession } from './session.ts';

export interface HistoryOptions {
  from: Date;
  to: Date;
  /** Seconds between MeterValues in back-filled sessions (coarser than live, to bound the load). */
  sampleS: number;
}

/**
 * History back-fill: the charger lives through [from, to) on its own virtual
 * clock, with the same day/night arrivals and session model as live, sending
 * real StartTransaction / MeterValues / StopTransaction calls with past
 * timestamps. Each call waits for its answer, so the pace is the server's.
 * Returns the number of sessions sent.
 */
export async function backfillHistory(cp: ChargePoint, opts: HistoryOptions, onSession?: () => void): Promise<number> {
  const tz = cp.timeZone();
  let sessions = 0;
  for (const c of cp.connectors) {
    const clock = new VirtualClock(opts.from);
    for (;;) {
      if (cp.halted) return sessions;
      const at = nextArrival(clock.now(), cp.rng, tz);
      if (at.getTime() >= opts.to.getTime()) break;
      clock.set(at);
      const plugS = Math.min(plugDurationS(at, cp.rng, tz), (opts.to.getTime() - at.getTime()) / 1000 - 600);
      if (plugS < 600) break;
      await runSession(cp, c, {
        idTag: cp.randomIdTag(),
        clock,
        plugS,
        sampleS: () => opts.sampleS,
        paced: true,
        silentStatus: true,
      });
      sessions++;
      onSession?.();
    }
    await cp.sendStatus(c.id, c.status, cp.clock).catch(() => {});
  }
  return sessions;
}
