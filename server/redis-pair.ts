import { Redis } from 'ioredis';

/**
 * The two connections a Redis pub/sub user needs (a subscribed connection can
 * issue nothing else): `pub` for commands and PUBLISH, `sub` for SUBSCRIBE.
 * Commands fail after 2 retries instead of queueing forever while Redis is away.
 */
export async function openRedisPair(url: string, onError: (err: Error) => void): Promise<{ pub: Redis; sub: Redis }> {
  const pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  const sub = new Redis(url, { lazyConnect: true });
  pub.on('error', onError);
  sub.on('error', onError);
  await pub.connect();
  await sub.connect();
  return { pub, sub };
}
