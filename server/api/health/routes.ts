import { performance } from 'node:perf_hooks';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Principal } from '../../plugins/auth.ts';

/** /healthz gives up on the database after this and says unavailable: a probe must answer fast, and before the request deadline. */
const PING_TIMEOUT_MS = 2_000;

/** The request deadline's own 503 (plugins/deadline.ts), should authentication itself be what waits. */
const DeadlineError = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String(),
  error: Type.String(),
  message: Type.String(),
});

const Details = Type.Object({
  database: Type.String(),
  latencyMs: Type.Number(),
  error: Type.Optional(Type.String()),
  stuck: Type.Object({ ocpp: Type.Integer(), http: Type.Integer() }),
  pool: Type.Optional(Type.Object({ total: Type.Integer(), idle: Type.Integer(), waiting: Type.Integer() })),
});

/** Who may see the details: an API token of any role (monitoring), or an admin. */
export function seesHealthDetails(p: Principal | null): boolean {
  return p !== null && (p.kind === 'token' || p.role === 'admin');
}

function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/**
 * Liveness and readiness (docs/PRODUCT.md §7): 200 only while the database answers and
 * no handler is stuck past its deadline (stuck work means a frozen database
 * connection somewhere, even when a fresh one answers the ping). Anonymous
 * callers get the status only; the driver's error text names the database
 * host and port, so details go to tokens and admins.
 */
export default async function healthRoutes(app: FastifyInstance) {
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: {
        tags: ['operations'],
        response: {
          200: Type.Object({ status: Type.Literal('ok'), details: Type.Optional(Details) }),
          503: Type.Union([
            Type.Object({ status: Type.Literal('unavailable'), details: Type.Optional(Details) }),
            DeadlineError,
          ]),
        },
      },
    },
    async (req, reply) => {
      const started = performance.now();
      let error: string | undefined;
      try {
        await within(app.database.ping(), Math.min(PING_TIMEOUT_MS, app.config.requestTimeoutMs / 2));
      } catch (err) {
        error = (err as Error).message;
      }
      const stuck = { ocpp: app.stuck.get('ocpp'), http: app.stuck.get('http') };
      const healthy = error === undefined && stuck.ocpp + stuck.http === 0;
      const details = seesHealthDetails(req.principal)
        ? {
            database: app.database.engine,
            latencyMs: Math.round((performance.now() - started) * 10) / 10,
            ...(error !== undefined ? { error } : {}),
            stuck,
            ...(app.database.poolStats ? { pool: app.database.poolStats() } : {}),
          }
        : undefined;
      const body = { status: healthy ? ('ok' as const) : ('unavailable' as const), ...(details ? { details } : {}) };
      return reply.status(healthy ? 200 : 503).send(body);
    },
  );
}
