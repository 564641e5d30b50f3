import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { COMPRESS_THRESHOLD, encode, negotiate } from '../../content-coding.ts';
import { localDay } from '../../time/site-time.ts';
import { ChargerSeriesCache, type SeriesBody, type SeriesShape, type Window } from './charger-series.ts';
import { ReadCache, topicsOf, type Topic } from './read-cache.ts';

export type Answer = (
  req: FastifyRequest,
  reply: FastifyReply,
  topics: readonly Topic[],
  load: () => Promise<unknown>,
) => Promise<FastifyReply>;

/** A per-charger chart answer kept in place (charger-series.ts): `name` and the window make its key. */
export type SeriesAnswer = (
  req: FastifyRequest,
  reply: FastifyReply,
  name: string,
  window: Window,
  shape: SeriesShape,
) => Promise<FastifyReply>;

/** A ReadCache that the app's charger events (local, or through Redis from other processes) keep fresh. */
export function eventDrivenCache(app: FastifyInstance, ttlMs?: number): ReadCache {
  const cache = new ReadCache(app.clock, ttlMs);
  const off = app.events.subscribe((e) => cache.invalidate(topicsOf(e)));
  app.addHook('onClose', async () => off());
  return cache;
}

/**
 * Sends a cached body in the coding the client asked for, compressed once
 * per cached version (`encoded`), or as it is without Accept-Encoding (seed
 * clients get the bytes they always got), as UTF-8 encoded once per version. A set Content-Encoding tells
 * plugins/compression.ts not to compress it again.
 */
async function sendEncoded(
  req: FastifyRequest,
  reply: FastifyReply,
  plain: () => Buffer | Promise<Buffer>,
  encoded: (coding: 'br' | 'gzip') => Promise<Buffer> | null,
): Promise<FastifyReply> {
  reply.type('application/json; charset=utf-8').header('vary', 'accept-encoding');
  const coding = negotiate(req.headers['accept-encoding']);
  const bytes = coding ? encoded(coding) : null;
  if (!coding || !bytes) return reply.send(await plain());
  return reply.header('content-encoding', coding).send(await bytes);
}

const utf8 = async (b: string) => Buffer.from(b, 'utf8');

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
    return sendEncoded(
      req,
      reply,
      () => cache.variant(key, body, 'identity', utf8),
      (coding) =>
        body.length < COMPRESS_THRESHOLD ? null : cache.variant(key, body, coding, (b) => encode(b, coding)),
    );
  };
}

/**
 * The per-charger chart answers (seed 2.11, 3.2) kept true in place by the
 * app's charger events; keyed by what they show (name and window), not by
 * the URL, so a legacy page's cache buster does not start a new one.
 */
export function seriesAnswers(app: FastifyInstance): { answer: SeriesAnswer; cache: ChargerSeriesCache } {
  const cache = new ChargerSeriesCache(app.clock, {
    chargerIds: () => app.repos.seedQueries.chargerIds(),
    rows: (w, only) =>
      app.repos.energy.byPeriod({
        unit: w.unit,
        fromDay: w.fromDay,
        toDay: w.toDay,
        perCharger: true,
        ...(only ? { chargerIds: only } : {}),
      }),
  });
  const off = app.events.subscribe((e) => cache.onEvent(e));
  app.addHook('onClose', async () => off());
  const answer: SeriesAnswer = async (req, reply, name, window, shape) => {
    const body: SeriesBody = await cache.get(`${name}|${window.unit}|${window.fromDay}|${window.toDay}`, window, shape);
    return sendEncoded(req, reply, body.bytes, body.encoded);
  };
  return { answer, cache };
}
