import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { chargerEvents } from '../schema/index.ts';

/** What chargers tell us beyond status and energy: DataTransfer, firmware and diagnostics notices (OCPP 1.6 §4.3-§4.5). */
export function createChargerEventRepository(db: DbOrTx) {
  return {
    async add(chargerId: string, kind: string, payload: unknown, at: Date): Promise<number> {
      const [row] = await db
        .insert(chargerEvents)
        .values({ chargerId, kind, payload, at })
        .returning({ id: chargerEvents.id });
      return row!.id;
    },
    async list(chargerId: string, kind?: string, limit = 100) {
      const where = kind
        ? and(eq(chargerEvents.chargerId, chargerId), eq(chargerEvents.kind, kind))
        : eq(chargerEvents.chargerId, chargerId);
      return db.select().from(chargerEvents).where(where).orderBy(desc(chargerEvents.id)).limit(limit);
    },
  };
}
export type ChargerEventRepository = ReturnType<typeof createChargerEventRepository>;
