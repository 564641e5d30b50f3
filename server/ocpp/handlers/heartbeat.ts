import type { OcppHandler } from '../context.ts';
import { markSeen } from '../mark-seen.ts';

/**
 * Heartbeat (OCPP 1.6 §4.6): proof of life, and the charger's time source.
 * Its time is kept in memory and written with others every few seconds
 * (seen-buffer.ts): nothing in it would be lost to the charger, and offline
 * detection flushes first. A charger the sweep marked offline is written at
 * once (group-committed, live-writes.ts), so the database says online before
 * its `connected` event goes out (dispatch.ts).
 */
export const heartbeat: OcppHandler<Record<string, never>, { currentTime: string }> = async (ctx) => {
  await markSeen(ctx, 'Heartbeat');
  return { currentTime: ctx.app.clock.now().toISOString() };
};
