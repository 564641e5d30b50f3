import { and, count, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { alerts, type AlertRow, type AlertSeverity } from '../schema/index.ts';

export interface AlertInput {
  at: Date;
  kind: string;
  severity: AlertSeverity;
  chargerId?: string | null | undefined;
  transactionId?: number | null | undefined;
  message: string;
  details?: Record<string, unknown> | undefined;
  /** The same key raises once: a resent message raises nothing new. */
  dedupKey?: string | null | undefined;
}

/** Alerts the system raises for an operator (the start of the alert console). */
export function createAlertRepository(db: DbOrTx) {
  return {
    /** Raises each alert unless one with its dedup key exists; returns the ones raised now. */
    async raise(inputs: AlertInput[]): Promise<AlertRow[]> {
      if (inputs.length === 0) return [];
      return db
        .insert(alerts)
        .values(
          inputs.map((a) => ({
            ...a,
            details: a.details ?? {},
            chargerId: a.chargerId ?? null,
            transactionId: a.transactionId ?? null,
            dedupKey: a.dedupKey ?? null,
          })),
        )
        .onConflictDoNothing({ target: alerts.dedupKey })
        .returning();
    },

    /** Newest first (index alerts_at_idx). */
    async page(offset: number, limit: number): Promise<AlertRow[]> {
      return db.select().from(alerts).orderBy(desc(alerts.at), desc(alerts.id)).offset(offset).limit(limit);
    },

    async count(): Promise<number> {
      const [row] = await db.select({ n: count() }).from(alerts);
      return Number(row?.n ?? 0);
    },

    async forTransaction(transactionId: number): Promise<AlertRow[]> {
      return db.select().from(alerts).where(eq(alerts.transactionId, transactionId)).orderBy(alerts.id);
    },

    /** Acknowledges a session's open alerts of these kinds (the operator decided on them). */
    async acknowledgeForTransaction(transactionId: number, kinds: string[], by: string, at: Date): Promise<number> {
      const rows = await db
        .update(alerts)
        .set({ acknowledgedAt: at, acknowledgedBy: by })
        .where(and(eq(alerts.transactionId, transactionId), inArray(alerts.kind, kinds), isNull(alerts.acknowledgedAt)))
        .returning({ id: alerts.id });
      return rows.length;
    },
  };
}
export type AlertRepository = ReturnType<typeof createAlertRepository>;
