import { eq } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { auditLog, siteSettings } from '../schema/index.ts';
import type { BasicSettings } from '../../contracts/settings.ts';
import { SETTINGS_KEYS } from '../../contracts/settings.ts';

function pick(row: typeof siteSettings.$inferSelect): BasicSettings {
  const out = {} as Record<string, unknown>;
  for (const k of SETTINGS_KEYS) out[k] = row[k];
  return out as unknown as BasicSettings;
}

export function createSettingsRepository(db: Db) {
  async function ensureRow(): Promise<typeof siteSettings.$inferSelect> {
    const rows = await db.select().from(siteSettings).where(eq(siteSettings.id, 1));
    if (rows[0]) return rows[0];
    await db.insert(siteSettings).values({ id: 1 }).onConflictDoNothing();
    return (await db.select().from(siteSettings).where(eq(siteSettings.id, 1)))[0]!;
  }
  return {
    async get(): Promise<BasicSettings> {
      return pick(await ensureRow());
    },
    /** Applies a fully validated patch and records it in the audit log, in one transaction. */
    async update(patch: Partial<BasicSettings>, actor: string, at: Date): Promise<BasicSettings> {
      await ensureRow();
      return db.transaction(async (tx) => {
        const before = (await tx.select().from(siteSettings).where(eq(siteSettings.id, 1)).for('update'))[0]!;
        const rows = await tx
          .update(siteSettings)
          .set({ ...patch, updatedAt: at, updatedBy: actor })
          .where(eq(siteSettings.id, 1))
          .returning();
        const after = pick(rows[0]!);
        await tx
          .insert(auditLog)
          .values({ at, actor, action: 'settings.update', target: 'site_settings', before: pick(before), after });
        return after;
      });
    },
  };
}
export type SettingsRepository = ReturnType<typeof createSettingsRepository>;
