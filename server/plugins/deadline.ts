import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors.ts';
import { StuckWork } from '../stuck-work.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Handlers past their deadline and still running (OCPP and REST), for /healthz and /metrics. */
    stuck: StuckWork;
  }
  interface FastifyRequest {
    deadline: RequestDeadline | null;
  }
}

interface RequestDeadline {
  timer: NodeJS.Timeout;
  /** The deadline answered for the handler: its own late result must go nowhere. */
  answered: boolean;
  /** Set while the route handler's promise is pending. */
  handlerRunning: boolean;
  finishStuck?: () => void;
}

/**
 * Every REST request is answered within REQUEST_TIMEOUT_MS: past it, and if
 * nothing has been sent yet, 503 REQUEST_TIMEOUT with Retry-After (through the
 * route's error boundary, so /batteryInfo keeps its envelope). The clock starts
 * at onRequest, before authentication, whose session and token look-ups wait on
 * the database too.
 *
 * Written here rather than with Fastify's `handlerTimeout`, which destroys a
 * response that has started: the CSV export streams for longer than any
 * sensible deadline, and once its headers are out its progress is the
 * slow-client rule's business, not this one.
 *
 * A handler still running at the deadline counts as stuck until it settles;
 * its late result is dropped (the client has its 503). A request stuck in a
 * hook before its handler is counted in deadline_exceeded_total only: Fastify
 * says nothing when an abandoned hook settles, and the database work such a
 * hook waits on ends by DB_QUERY_TIMEOUT_MS anyway.
 */
async function deadlinePlugin(app: FastifyInstance) {
  const stuck = new StuckWork(app.metrics);
  app.decorate('stuck', stuck);
  app.decorateRequest('deadline', null);
  const ms = app.config.requestTimeoutMs;

  app.addHook('onRequest', (req, reply, done) => {
    const state: RequestDeadline = {
      answered: false,
      handlerRunning: false,
      // unref: a pending deadline alone must not keep a stopping process alive.
      timer: setTimeout(() => onDeadline(req, reply, state), ms).unref(),
    };
    req.deadline = state;
    reply.raw.once('close', () => clearTimeout(state.timer));
    done();
  });

  function onDeadline(req: FastifyRequest, reply: FastifyReply, state: RequestDeadline) {
    if (reply.sent || reply.raw.headersSent) return;
    state.answered = true;
    state.finishStuck = stuck.expire('http', state.handlerRunning);
    req.log.warn(
      { url: req.url, timeoutMs: ms, handlerRunning: state.handlerRunning },
      'request past its deadline; answered 503',
    );
    void reply.send(new AppError('REQUEST_TIMEOUT'));
  }

  app.addHook('onRoute', (route) => {
    const handler = route.handler as (this: FastifyInstance, req: FastifyRequest, reply: FastifyReply) => unknown;
    route.handler = function deadlineTracked(this: FastifyInstance, req: FastifyRequest, reply: FastifyReply) {
      const out = handler.call(this, req, reply);
      const state = req.deadline;
      if (!state || !out || typeof (out as Promise<unknown>).then !== 'function') return out;
      state.handlerRunning = true;
      const settled = () => {
        state.handlerRunning = false;
        state.finishStuck?.();
      };
      return (out as Promise<unknown>).then(
        (value) => {
          settled();
          return state.answered ? undefined : value;
        },
        (err: unknown) => {
          settled();
          if (!state.answered) throw err;
          req.log.warn({ err }, 'request failed after its deadline answer');
          return undefined;
        },
      );
    } as RouteHandlerMethod;
  });
}

export default fp(deadlinePlugin, { name: 'deadline', dependencies: ['metrics', 'repos'] });
