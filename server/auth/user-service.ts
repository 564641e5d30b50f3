import type { UserRepository, PublicUser } from '../../db/repositories/users.ts';
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
  if (input.password.length < MIN_PASSWORD_LENGTH) fields.password = `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  if (!ROLES.includes(input.role as Role)) fields.role = `must be one of ${ROLES.join(', ')}`;
  if (Object.keys(fields).length) throw validationError(fields, 'Invalid user');
  const user = await users.create({ username: input.username, passwordHash: await hashSecret(input.password), role: input.role as Role });
  if (!user) throw new AppError('CONFLICT', `User ${input.username} already exists`);
  return user;
}
