import { chmod, unlink } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { changeUser, createUser, deleteUser, userIdByName, type NewUser } from '../auth/user-service.ts';
import { isAppError } from '../errors.ts';

/**
 * PGlite allows one process per data directory, so while the server runs the
 * admin command line cannot open the database itself. The server listens on
 * a Unix socket inside DATA_DIR (mode 0600: whoever may use it could read the
 * database files anyway) and runs the same user service for the command line:
 * create-user, disable-user, delete-user (the last two revoke the user's API
 * tokens, and this server forgets them from its token cache at once).
 */
export function adminSocketPath(dataDir: string): string {
  return join(dataDir, 'admin.sock');
}

export function isAdminSocketAlive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => {
      s.end();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

export async function startAdminSocket(path: string, app: FastifyInstance): Promise<Server> {
  await unlink(path).catch(() => {}); // a stale socket from a crashed run
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
      if (body.length > 64 * 1024) req.destroy();
    });
    req.on('end', async () => {
      const reply = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      try {
        if (req.method !== 'POST') return reply(404, { error: 'unknown admin call' });
        const input = JSON.parse(body) as NewUser;
        const by = { actor: 'cli', at: app.clock.now() };
        if (req.url === '/create-user') {
          const user = await createUser(app.repos.users, input);
          await app.repos.audit.record({
            ...by,
            action: 'user.create',
            target: `user:${user.username}`,
            after: { role: user.role },
          });
          return reply(200, { user });
        }
        if (req.url !== '/disable-user' && req.url !== '/delete-user')
          return reply(404, { error: 'unknown admin call' });
        const id = await userIdByName(app.repos.users, String(input.username));
        const user =
          req.url === '/disable-user'
            ? await changeUser(app.database.db, id, { disabled: true }, by)
            : await deleteUser(app.database.db, id, by);
        // Revoked in the database; this process must stop serving the user's cached tokens now.
        app.tokenCache.forgetCreatedBy(id);
        reply(200, { user });
      } catch (err) {
        reply(isAppError(err) ? err.status : 500, {
          error: isAppError(err) ? err.message : 'internal error',
          fields: isAppError(err) ? err.fields : undefined,
        });
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  await chmod(path, 0o600);
  return server;
}

/** Sends one admin call to a running server. */
export function callAdminSocket(
  path: string,
  call: string,
  payload: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { socketPath: path, path: `/${call}`, method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (data += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(data || '{}') }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(payload));
  });
}
