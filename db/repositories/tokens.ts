import { and, asc, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { apiTokens, type Role } from '../schema/index.ts';

export type ApiToken = Omit<typeof apiTokens.$inferSelect, 'tokenHash'>;

const publicColumns = {
  id: apiTokens.id,
  name: apiTokens.name,
  role: apiTokens.role,
  prefix: apiTokens.prefix,
  createdBy: apiTokens.createdBy,
  createdAt: apiTokens.createdAt,
  lastUsedAt: apiTokens.lastUsedAt,
  revokedAt: apiTokens.revokedAt,
};

export function createTokenRepository(db: DbOrTx) {
  return {
    async create(input: { name: string; role: Role; tokenHash: string; prefix: string; createdBy: number | null; createdAt: Date }): Promise<ApiToken> {
      const rows = await db.insert(apiTokens).values(input).returning(publicColumns);
      return rows[0]!;
    },
    /** The active token with this hash. */
    async findActive(tokenHash: string): Promise<ApiToken | undefined> {
      const rows = await db
        .select(publicColumns)
        .from(apiTokens)
        .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt)));
      return rows[0];
    },
    async touch(id: number, at: Date): Promise<void> {
      await db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, id));
    },
    async list(): Promise<ApiToken[]> {
      return db.select(publicColumns).from(apiTokens).orderBy(asc(apiTokens.id));
    },
    async revoke(id: number, at: Date): Promise<ApiToken | undefined> {
      const rows = await db
        .update(apiTokens)
        .set({ revokedAt: at })
        .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
        .returning(publicColumns);
      return rows[0];
    },
  };
}
export type TokenRepository = ReturnType<typeof createTokenRepository>;
