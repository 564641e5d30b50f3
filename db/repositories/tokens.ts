import { and, asc, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { ROLES, apiTokens, users, type Role } from '../schema/index.ts';

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

/** The lesser of two roles (ROLES is in rising order of power). */
function lesserRole(a: Role, b: Role): Role {
  return ROLES[Math.min(ROLES.indexOf(a), ROLES.indexOf(b))]!;
}

export function createTokenRepository(db: DbOrTx) {
  return {
    async create(input: {
      name: string;
      role: Role;
      tokenHash: string;
      prefix: string;
      createdBy: number | null;
      createdAt: Date;
    }): Promise<ApiToken> {
      const rows = await db.insert(apiTokens).values(input).returning(publicColumns);
      return rows[0]!;
    },
    /**
     * The active token with this hash, as its creator may use it now: the
     * creator must exist and be enabled, and the role answered is the lesser
     * of the token's and the creator's current one. A token without a creator
     * (made before tokens recorded one, or whose creator was deleted outside
     * the user service) is refused: nobody would answer for it.
     */
    async findActive(tokenHash: string): Promise<ApiToken | undefined> {
      const rows = await db
        .select({ ...publicColumns, creatorRole: users.role })
        .from(apiTokens)
        .innerJoin(users, eq(users.id, apiTokens.createdBy))
        .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt), eq(users.disabled, false)));
      if (!rows[0]) return undefined;
      const { creatorRole, ...token } = rows[0];
      return { ...token, role: lesserRole(token.role, creatorRole) };
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
    /** Revokes every active token the user created; answers their ids. */
    async revokeCreatedBy(userId: number, at: Date): Promise<number[]> {
      const rows = await db
        .update(apiTokens)
        .set({ revokedAt: at })
        .where(and(eq(apiTokens.createdBy, userId), isNull(apiTokens.revokedAt)))
        .returning({ id: apiTokens.id });
      return rows.map((r) => r.id);
    },
  };
}
export type TokenRepository = ReturnType<typeof createTokenRepository>;
