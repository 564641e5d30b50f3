import type { HandlerContext } from './context.ts';

/** The connection's best skew figure so far, and when it was measured. */
export interface SkewEstimate {
  ms: number;
  at: Date;
}

/** A reading within this of the best one confirms it (the measurement time moves on). */
const CONFIRM_MS = 1000;
/** The confirmation is written at most this often per connection. */
const REFRESH_MS = 60_000;

/**
 * The charger's clock skew, from the timestamps of StatusNotification and
 * MeterValues (BootNotification and Heartbeat carry none) against their
 * receive time. A message the charger queued while offline arrives late
 * (OCPP 1.6 §4.7, §4.10), which only makes its timestamp look older, never
 * newer; so the least-delayed message of a connection, the one whose
 * timestamp minus receive time is highest, is the live one, and that
 * difference is the skew (positive: the charger is ahead). The figure starts
 * afresh with each connection and BootNotification (the charger may set its
 * clock from BootNotification.conf currentTime, OCPP 1.6 §4.2).
 */
export async function measureSkew({ app, conn, chargerId, now }: HandlerContext, stamps: Date[]): Promise<void> {
  if (stamps.length === 0) return;
  const ms = Math.max(...stamps.map((s) => s.getTime() - now.getTime()));
  const best = conn.clockSkew;
  if (best && ms <= best.ms) {
    if (ms < best.ms - CONFIRM_MS || now.getTime() - best.at.getTime() < REFRESH_MS) return;
    conn.clockSkew = { ms: best.ms, at: now };
  } else {
    conn.clockSkew = { ms, at: now };
  }
  // Written with others every few seconds, and before the charger's disconnect (seen-buffer.ts).
  app.ocpp.skews.note({ chargerId, ms: conn.clockSkew.ms, at: now });
}
