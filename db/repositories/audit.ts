import { desc } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { auditLog } from '../schema/index.ts';

export function createAuditRepository(db: DbOrTx) {
  return {
    async record(entry: {
      at: Date;
      actor: string;
      action: string;
      target?: string;
      before?: unknown;
      after?: unknown;
    }): Promise<void> {
      await db.insert(auditLog).values(entry);
    },
    async recent(limit = 100) {
      return db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(limit);
    },
  };
}
export type AuditRepository = ReturnType<typeof createAuditRepository>;
