import { and, eq, gt, lt } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { sessions, users } from '../schema/index.ts';
import type { PublicUser } from './users.ts';

export function createSessionRepository(db: DbOrTx) {
  return {
    async create(input: { idHash: string; userId: number; createdAt: Date; expiresAt: Date }): Promise<void> {
      await db.insert(sessions).values(input);
    },
    /** The live, enabled user behind a session, or undefined. */
    async findUser(idHash: string, now: Date): Promise<PublicUser | undefined> {
      const rows = await db
        .select({
          id: users.id,
          username: users.username,
          role: users.role,
          disabled: users.disabled,
          createdAt: users.createdAt,
          lastLoginAt: users.lastLoginAt,
        })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(and(eq(sessions.idHash, idHash), gt(sessions.expiresAt, now), eq(users.disabled, false)));
      return rows[0];
    },
    async remove(idHash: string): Promise<void> {
      await db.delete(sessions).where(eq(sessions.idHash, idHash));
    },
    async removeForUser(userId: number): Promise<void> {
      await db.delete(sessions).where(eq(sessions.userId, userId));
    },
    async purgeExpired(now: Date): Promise<void> {
      await db.delete(sessions).where(lt(sessions.expiresAt, now));
    },
  };
}
export type SessionRepository = ReturnType<typeof createSessionRepository>;
