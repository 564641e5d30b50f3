import type { OcppHandler } from '../context.ts';

/** Heartbeat (OCPP 1.6 §4.6): proof of life, and the charger's time source; group-committed (live-writes.ts). */
export const heartbeat: OcppHandler<Record<string, never>, { currentTime: string }> = async ({
  app,
  chargerId,
  now,
}) => {
  await app.ocpp.live.seen(chargerId, 'Heartbeat', now);
  return { currentTime: app.clock.now().toISOString() };
};
