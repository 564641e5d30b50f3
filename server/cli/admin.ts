import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../../db/client.ts';
import { createRepositories } from '../../db/repositories/index.ts';
import { changeUser, createUser, deleteUser, userIdByName } from '../auth/user-service.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { isAppError } from '../errors.ts';
import { adminSocketPath, callAdminSocket, isAdminSocketAlive } from './admin-socket.ts';
import { lockDataDirOrExit } from './data-dir-guard.ts';
import { readHiddenLines } from './read-hidden.ts';

const USAGE = `usage: npm run admin -- create-user --username U [--password P] [--role viewer|operator|admin]
  Creates a user (like the legacy "manage.py createsuperuser"); asks for the password when it is not given.
       npm run admin -- disable-user --username U
       npm run admin -- delete-user --username U
  Disables or deletes a user, ending their sessions and revoking the API tokens they made.`;

const COMMANDS = ['create-user', 'disable-user', 'delete-user'] as const;
type Command = (typeof COMMANDS)[number];

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      username: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string', default: 'admin' },
      help: { type: 'boolean' },
    },
  });
  const command = positionals[0] as Command;
  if (values.help || !COMMANDS.includes(command)) fail(USAGE, values.help ? 0 : 2);
  if (!values.username) fail(`--username is required\n${USAGE}`, 2);

  let config;
  try {
    config = loadConfig();
  } catch (err) {
    fail(err instanceof ConfigError ? err.message : String(err));
  }
  if (command !== 'create-user') return removeAccess(command, values.username, config);

  let password = values.password;
  if (password === undefined) {
    const [first, again] = await readHiddenLines(['Password: ', 'Password (again): ']);
    if (first !== again) fail('The passwords do not match');
    password = first!;
  }
  const input = { username: values.username, password, role: values.role ?? 'admin' };

  // Embedded database held by a running server: ask the server to do it.
  const socket = adminSocketPath(config.dataDir);
  if (!config.databaseUrl && (await isAdminSocketAlive(socket))) {
    const { status, body } = await callAdminSocket(socket, 'create-user', input);
    if (status !== 200)
      fail(`Could not create user: ${String(body.error)}${body.fields ? ' ' + JSON.stringify(body.fields) : ''}`);
    console.log(`Created ${input.role} ${input.username} (through the running server)`);
    return;
  }

  // No server answers: open the directory ourselves, under the server's lock
  // (a server still starting, or another admin command, holds it: refuse).
  if (!config.databaseUrl)
    await lockDataDirOrExit(config.dataDir, ' (starting up, or another admin command); try again');
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, 'pgdata') });
  try {
    const user = await createUser(createRepositories(database.db).users, input);
    console.log(`Created ${user.role} ${user.username}`);
  } catch (err) {
    if (isAppError(err))
      fail(`Could not create user: ${err.message}${err.fields ? ' ' + JSON.stringify(err.fields) : ''}`);
    throw err;
  } finally {
    await database.close();
  }
}

/**
 * disable-user / delete-user. Through a running server that holds PGlite, it
 * forgets the user's cached tokens at once; straight to PostgreSQL, running
 * servers stop honouring them within their token cache's 5 s.
 */
async function removeAccess(
  command: 'disable-user' | 'delete-user',
  username: string,
  config: ReturnType<typeof loadConfig>,
): Promise<void> {
  const done = command === 'disable-user' ? 'Disabled' : 'Deleted';
  const socket = adminSocketPath(config.dataDir);
  if (!config.databaseUrl && (await isAdminSocketAlive(socket))) {
    const { status, body } = await callAdminSocket(socket, command, { username });
    if (status !== 200) fail(`Could not ${command.replace('-user', '')} ${username}: ${String(body.error)}`);
    console.log(`${done} ${username}; their sessions ended and API tokens revoked (through the running server)`);
    return;
  }
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, 'pgdata') });
  try {
    const id = await userIdByName(createRepositories(database.db).users, username);
    const by = { actor: 'cli', at: new Date() };
    if (command === 'disable-user') await changeUser(database.db, id, { disabled: true }, by);
    else await deleteUser(database.db, id, by);
    console.log(`${done} ${username}; their sessions ended and API tokens revoked`);
  } catch (err) {
    if (isAppError(err)) fail(`Could not ${command.replace('-user', '')} ${username}: ${err.message}`);
    throw err;
  } finally {
    await database.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => fail(String(err?.stack ?? err)),
);
