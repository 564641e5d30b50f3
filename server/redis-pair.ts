import { Redis, type RedisOptions } from 'ioredis';

/**
 * The two connections a Redis pub/sub user needs (a subscribed connection can
 * issue nothing else): `pub` for commands and PUBLISH, `sub` for SUBSCRIBE.
 * Commands fail after 2 retries instead of queueing forever while Redis is away.
 * `options` adds to both (a connection name, a command timeout).
 */
export async function openRedisPair(
  url: string,
  onError: (err: Error) => void,
  options: RedisOptions = {},
): Promise<{ pub: Redis; sub: Redis }> {
  const pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2, ...options });
  const sub = new Redis(url, { lazyConnect: true, ...options });
  pub.on('error', onError);
  sub.on('error', onError);
  await pub.connect();
  await sub.connect();
  return { pub, sub };
}
