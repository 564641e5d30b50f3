import { desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { commandLog } from '../schema/index.ts';

export type CommandRow = typeof commandLog.$inferSelect;
export type CommandOutcome = 'pending' | 'answered' | 'error' | 'timeout' | 'not_connected';

/** The audit of commands sent to chargers (docs/PRODUCT.md §5: who, when, payload, answer). */
export function createCommandRepository(db: DbOrTx) {
  return {
    async begin(entry: {
      chargerId: string;
      action: string;
      payload: unknown;
      requestedBy: string;
      requestedAt: Date;
    }): Promise<CommandRow> {
      return (
        await db
          .insert(commandLog)
          .values({ ...entry, outcome: 'pending' })
          .returning()
      )[0]!;
    },
    async finish(
      id: number,
      result: {
        outcome: Exclude<CommandOutcome, 'pending'>;
        response?: unknown;
        errorCode?: string | null;
        answeredAt: Date;
        durationMs: number;
      },
    ): Promise<CommandRow | undefined> {
      const rows = await db
        .update(commandLog)
        .set({
          outcome: result.outcome,
          response: result.response ?? null,
          errorCode: result.errorCode ?? null,
          answeredAt: result.answeredAt,
          durationMs: result.durationMs,
        })
        .where(eq(commandLog.id, id))
        .returning();
      return rows[0];
    },
    /**
     * A command audited once it is answered, in one insert (the load
     * controller's charging profiles, sent often: half the writes of begin + finish).
     */
    async record(entry: {
      chargerId: string;
      action: string;
      payload: unknown;
      requestedBy: string;
      requestedAt: Date;
      outcome: Exclude<CommandOutcome, 'pending'>;
      response?: unknown;
      errorCode?: string | null;
      answeredAt: Date;
      durationMs: number;
    }): Promise<CommandRow> {
      return (
        await db
          .insert(commandLog)
          .values({ ...entry, response: entry.response ?? null, errorCode: entry.errorCode ?? null })
          .returning()
      )[0]!;
    },
    async get(id: number): Promise<CommandRow | undefined> {
      return (await db.select().from(commandLog).where(eq(commandLog.id, id)))[0];
    },
    /** Newest first, optionally for one charger. */
    async list(opts: { chargerId?: string | undefined; limit: number; offset: number }): Promise<CommandRow[]> {
      const q = db.select().from(commandLog);
      const filtered = opts.chargerId ? q.where(eq(commandLog.chargerId, opts.chargerId)) : q;
      return filtered.orderBy(desc(commandLog.id)).limit(opts.limit).offset(opts.offset);
    },
  };
}
export type CommandRepository = ReturnType<typeof createCommandRepository>;
