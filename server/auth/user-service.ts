import type { Db, DbOrTx } from '../../db/client.ts';
import { createAuditRepository } from '../../db/repositories/audit.ts';
import { createSessionRepository } from '../../db/repositories/sessions.ts';
import { createTokenRepository } from '../../db/repositories/tokens.ts';
import { createUserRepository, type UserRepository, type PublicUser } from '../../db/repositories/users.ts';
import { ROLES, type Role } from '../../db/schema/index.ts';
import { AppError, validationError } from '../errors.ts';
import { hashSecret } from './password.ts';

export const USERNAME_PATTERN = /^[A-Za-z0-9_.@-]{1,64}$/;
export const MIN_PASSWORD_LENGTH = 8;

export interface NewUser {
  username: string;
  password: string;
  role: string;
}

/** Checks and creates a user; shared by the admin command line and the users API. */
export async function createUser(users: UserRepository, input: NewUser): Promise<PublicUser> {
  const fields: Record<string, string> = {};
  if (!USERNAME_PATTERN.test(input.username)) fields.username = 'must be 1-64 letters, digits or _ . @ -';
  if (input.password.length < MIN_PASSWORD_LENGTH)
    fields.password = `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (!ROLES.includes(input.role as Role)) fields.role = `must be one of ${ROLES.join(', ')}`;
  if (Object.keys(fields).length) throw validationError(fields, 'Invalid user');
  const user = await users.create({
    username: input.username,
    passwordHash: await hashSecret(input.password),
    role: input.role as Role,
  });
  if (!user) throw new AppError('CONFLICT', `User ${input.username} already exists`);
  return user;
}

export interface UserChange {
  role?: Role | undefined;
  disabled?: boolean | undefined;
  password?: string | undefined;
}

/** Who did it and when, for the audit log. */
export interface Change {
  actor: string;
  at: Date;
}

function repos(tx: DbOrTx) {
  return {
    users: createUserRepository(tx),
    sessions: createSessionRepository(tx),
    tokens: createTokenRepository(tx),
    audit: createAuditRepository(tx),
  };
}

/**
 * Changes a user's role, password or disabled flag in one transaction: the
 * last admin is never demoted or disabled; a changed password or a disabled
 * account ends the user's sessions; disabling revokes every API token the
 * user made (re-enabling does not bring them back). A lowered role needs no
 * write to the tokens: a token's role is capped by its creator's at each look-up.
 * The caller must forget the user's tokens in its token cache afterwards
 * (`tokenCache.forgetCreatedBy`) when the role or the disabled flag changed.
 */
export async function changeUser(db: Db, id: number, change: UserChange, by: Change): Promise<PublicUser> {
  if (change.password !== undefined && change.password.length < MIN_PASSWORD_LENGTH) {
    throw validationError({ password: `must be at least ${MIN_PASSWORD_LENGTH} characters` }, 'Invalid user');
  }
  const passwordHash = change.password ? await hashSecret(change.password) : undefined;
  return db.transaction(async (tx) => {
    const r = repos(tx);
    const current = await r.users.findById(id);
    if (!current) throw new AppError('NOT_FOUND', `No user ${id}`);
    const losesAdmin =
      current.role === 'admin' && ((change.role && change.role !== 'admin') || change.disabled === true);
    if (losesAdmin && (await r.users.countAdmins()) <= 1)
      throw new AppError('CONFLICT', 'The last admin cannot be demoted or disabled');
    const user = (await r.users.update(id, {
      ...(change.role ? { role: change.role } : {}),
      ...(change.disabled !== undefined ? { disabled: change.disabled } : {}),
      ...(passwordHash ? { passwordHash } : {}),
    }))!;
    if (passwordHash || change.disabled) await r.sessions.removeForUser(id);
    const revoked = change.disabled ? await r.tokens.revokeCreatedBy(id, by.at) : [];
    await r.audit.record({
      at: by.at,
      actor: by.actor,
      action: 'user.update',
      target: `user:${user.username}`,
      after: {
        role: change.role,
        disabled: change.disabled,
        password: change.password ? 'changed' : undefined,
        revokedTokens: revoked.length ? revoked : undefined,
      },
    });
    return user;
  });
}

/**
 * Deletes a user in one transaction, revoking the API tokens the user made
 * first (they stay listed, revoked; the foreign key then clears their
 * creator). The last admin cannot be removed. The caller must forget the
 * user's tokens in its token cache afterwards.
 */
export async function deleteUser(db: Db, id: number, by: Change): Promise<PublicUser> {
  return db.transaction(async (tx) => {
    const r = repos(tx);
    const current = await r.users.findById(id);
    if (!current) throw new AppError('NOT_FOUND', `No user ${id}`);
    if (current.role === 'admin' && (await r.users.countAdmins()) <= 1)
      throw new AppError('CONFLICT', 'The last admin cannot be removed');
    const revoked = await r.tokens.revokeCreatedBy(id, by.at);
    await r.users.remove(id);
    await r.audit.record({
      at: by.at,
      actor: by.actor,
      action: 'user.delete',
      target: `user:${current.username}`,
      after: revoked.length ? { revokedTokens: revoked } : undefined,
    });
    return current;
  });
}

/** The id of a user by name, for the command line. */
export async function userIdByName(users: UserRepository, username: string): Promise<number> {
  const user = await users.findByUsername(username);
  if (!user) throw new AppError('NOT_FOUND', `No user ${username}`);
  return user.id;
}
