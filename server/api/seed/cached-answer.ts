import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { localDay } from '../../time/site-time.ts';
import { ReadCache, topicsOf, type Topic } from './read-cache.ts';

export type Answer = (
  req: FastifyRequest,
  reply: FastifyReply,
  topics: readonly Topic[],
  load: () => Promise<unknown>,
) => Promise<FastifyReply>;

/** A ReadCache that the app's charger events (local, or through Redis from other processes) keep fresh. */
export function eventDrivenCache(app: FastifyInstance, ttlMs?: number): ReadCache {
  const cache = new ReadCache(app.clock, ttlMs);
  const off = app.events.subscribe((e) => cache.invalidate(topicsOf(e)));
  app.addHook('onClose', async () => off());
  return cache;
}

/**
 * A ReadCache for this app, dropped by the app's charger events, and the
 * route helper that answers through it: the answer is serialised once with
 * the route's response schema and the bytes are shared. The key holds the
 * site-local day, so periods roll over at local midnight whatever the cache.
 */
export function cachedAnswers(app: FastifyInstance, ttlMs?: number): Answer {
  const cache = eventDrivenCache(app, ttlMs);
  const tz = app.config.siteTz;
  return async (req, reply, topics, load) => {
    const key = `${req.url}|${localDay(app.clock.now(), tz)}`;
    // The route's compiled response serialiser returns a string for a JSON schema.
    const body = await cache.get(key, topics, async () => reply.serialize(await load()) as string);
    return reply.type('application/json; charset=utf-8').send(body);
  };
}
