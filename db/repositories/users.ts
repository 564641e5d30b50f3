import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { users, type Role } from '../schema/index.ts';

export type User = typeof users.$inferSelect;
export type PublicUser = Omit<User, 'passwordHash'>;

function toPublic({ passwordHash: _, ...u }: User): PublicUser {
  return u;
}

export function createUserRepository(db: DbOrTx) {
  return {
    async create(input: { username: string; passwordHash: string; role: Role }): Promise<PublicUser | null> {
      const rows = await db.insert(users).values(input).onConflictDoNothing({ target: users.username }).returning();
      return rows[0] ? toPublic(rows[0]) : null;
    },
    async findByUsername(username: string): Promise<User | undefined> {
      return (await db.select().from(users).where(eq(users.username, username)))[0];
    },
    async findById(id: number): Promise<PublicUser | undefined> {
      const u = (await db.select().from(users).where(eq(users.id, id)))[0];
      return u && toPublic(u);
    },
    async list(): Promise<PublicUser[]> {
      return (await db.select().from(users).orderBy(asc(users.id))).map(toPublic);
    },
    async update(
      id: number,
      patch: Partial<{ role: Role; passwordHash: string; disabled: boolean; lastLoginAt: Date }>,
    ): Promise<PublicUser | undefined> {
      const rows = await db.update(users).set(patch).where(eq(users.id, id)).returning();
      return rows[0] && toPublic(rows[0]);
    },
    async remove(id: number): Promise<boolean> {
      return (await db.delete(users).where(eq(users.id, id)).returning({ id: users.id })).length > 0;
    },
    /** Enabled admins: a disabled one cannot step in for the last. */
    async countAdmins(): Promise<number> {
      return (
        await db
          .select({ id: users.id })
          .from(users)
          .where(and(eq(users.role, 'admin'), eq(users.disabled, false)))
      ).length;
    },
  };
}
export type UserRepository = ReturnType<typeof createUserRepository>;
