import type { FastifyInstance } from 'fastify';
import type { ChargerRow } from '../../db/schema/index.ts';
import type { OcppConnection } from './connection.ts';

/** What a handler for one inbound CALL gets: the app, the charger, and "now" from the injected clock. */
export interface HandlerContext {
  app: FastifyInstance;
  conn: OcppConnection;
  chargerId: string;
  now: Date;
}

/** One handler per OCPP action; throwing makes the CALLERROR (no CALLRESULT, so the charger retries). */
export type OcppHandler<P = never, R = object> = (ctx: HandlerContext, params: P) => Promise<R>;

/** The legacy state a dashboard shows (docs/PRODUCT.md §3): a system transitional state wins while it lasts. */
export function effectiveState(row: Pick<ChargerRow, 'state' | 'transitionalState'>): string {
  return row.transitionalState ?? row.state ?? 'Unknown';
}

/** Publishes the charger's present legacy state after a transitional state began or ended. */
export async function publishState(app: FastifyInstance, chargerId: string): Promise<void> {
  const row = await app.repos.chargers.get(chargerId);
  if (row)
    app.events.publish({ type: 'state', chargerId, at: app.clock.now().toISOString(), state: effectiveState(row) });
}
