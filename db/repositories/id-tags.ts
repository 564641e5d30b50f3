import { asc, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { idTags } from '../schema/index.ts';

export type IdTagRow = typeof idTags.$inferSelect;
export type IdTagInput = {
  idTag: string;
  parentIdTag?: string | null;
  expiryDate?: Date | null;
  blocked?: boolean;
  description?: string | null;
};

/** IdToken is a CiString (OCPP 1.6 §7.29): every look-up ignores case (index id_tags_ci_idx). */
const sameTag = (idTag: string) => sql`lower(${idTags.idTag}) = lower(${idTag})`;

/** The authorization list (OCPP 1.6 §4.1, §7.15): expiry, blocking, parent tag. */
export function createIdTagRepository(db: DbOrTx) {
  return {
    async get(idTag: string): Promise<IdTagRow | undefined> {
      return (await db.select().from(idTags).where(sameTag(idTag)))[0];
    },
    async list(): Promise<IdTagRow[]> {
      return db.select().from(idTags).orderBy(asc(idTags.idTag));
    },
    /** Returns undefined when the tag exists already. */
    async create(input: IdTagInput, at: Date): Promise<IdTagRow | undefined> {
      return (
        await db
          .insert(idTags)
          .values({ ...input, createdAt: at })
          .onConflictDoNothing()
          .returning()
      )[0];
    },
    async update(idTag: string, patch: Omit<IdTagInput, 'idTag'>): Promise<IdTagRow | undefined> {
      if (Object.keys(patch).length === 0) return this.get(idTag);
      return (await db.update(idTags).set(patch).where(sameTag(idTag)).returning())[0];
    },
    async remove(idTag: string): Promise<boolean> {
      return (await db.delete(idTags).where(sameTag(idTag)).returning({ idTag: idTags.idTag })).length > 0;
    },
  };
}
export type IdTagRepository = ReturnType<typeof createIdTagRepository>;
