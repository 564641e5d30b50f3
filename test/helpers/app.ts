import type { FastifyInstance } from 'fastify';
import type { Database } from '../../db/client.ts';
import type { Role } from '../../db/schema/index.ts';
import { buildApp, type AppDeps } from '../../server/app.ts';
import { ManualClock, type Clock } from '../../server/clock.ts';
import { testConfig, type Config } from '../../server/config.ts';
import { createUser } from '../../server/auth/user-service.ts';
import { createTestDatabase } from './db.ts';

/**
 * The page origin of a request made with app.inject(), which sends
 * `Host: localhost:80`: the dashboard's own, so cookie-authenticated writes
 * pass the same-origin check (server/plugins/csrf.ts) as the browser's do.
 */
export const INJECT_ORIGIN = 'http://localhost';

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  clock: Clock;
  /** Auth headers for a user of each role, created on first use: the session cookie and the dashboard's Origin. */
  as(role: Role): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  config?: Partial<Config>;
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
  /** Share another app's database (a second process of a scaled-out site); left open on close. */
  database?: Database;
  events?: AppDeps['events'];
  ocppRouter?: AppDeps['ocppRouter'];
  /** Pino options (a test reading the logs passes a stream); none by default. */
  logger?: AppDeps['logger'];
}

/** Builds the real app over a fresh test database, with a manual clock unless one is given. */
export async function createTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const database = opts.database ?? (await createTestDatabase());
  const clock = opts.clock ?? new ManualClock('2026-03-15T08:00:00Z');
  const app = await buildApp(testConfig(opts.config), {
    database,
    clock,
    logger: opts.logger ?? false,
    sleep: opts.sleep,
    events: opts.events,
    ocppRouter: opts.ocppRouter,
  });
  await app.ready();
  const headers = new Map<Role, Record<string, string>>();
  return {
    app,
    database,
    clock,
    async as(role) {
      const cached = headers.get(role);
      if (cached) return cached;
      const username = `${role}-user`;
      await createUser(app.repos.users, { username, password: 'correct-horse', role });
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password: 'correct-horse' },
      });
      if (res.statusCode !== 200) throw new Error(`login failed: ${res.body}`);
      const cookie = res.cookies.find((c) => c.name === 'chargeops_session')!;
      const h = { cookie: `chargeops_session=${cookie.value}`, origin: INJECT_ORIGIN };
      headers.set(role, h);
      return h;
    },
    async close() {
      await app.close();
      if (!opts.database) await database.close();
    },
  };
}
