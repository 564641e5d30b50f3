import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RedisEventBus } from '../../../server/events/redis-bus.ts';
import type { ChargerEvent } from '../../../contracts/events.ts';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('Redis event bus (scale-out)', () => {
  let a: RedisEventBus;
  let b: RedisEventBus;
  before(async () => {
    a = await RedisEventBus.connect(REDIS_URL);
    b = await RedisEventBus.connect(REDIS_URL);
  });
  after(async () => {
    await a.close();
    await b.close();
  });

  it('an event published in one process reaches the other once, and the publisher once', async () => {
    const seenA: ChargerEvent[] = [];
    const seenB: ChargerEvent[] = [];
    a.subscribe((e) => seenA.push(e));
    const marker: ChargerEvent = {
      type: 'state',
      chargerId: 'CP-MARK',
      at: '2026-01-01T00:00:01.000Z',
      state: 'Available',
    };
    const markerArrived = new Promise<void>((resolve) =>
      b.subscribe((e) => 'chargerId' in e && e.chargerId === 'CP-MARK' && resolve()),
    );
    b.subscribe((e) => !('chargerId' in e && e.chargerId === 'CP-MARK') && seenB.push(e));
    const event: ChargerEvent = { type: 'state', chargerId: 'CP-X', at: '2026-01-01T00:00:00.000Z', state: 'Charging' };
    a.publish(event);
    // Redis delivers one connection's messages in order: once the marker is in, any duplicate would be too.
    a.publish(marker);
    await markerArrived;
    assert.deepEqual(seenB, [event]);
    assert.deepEqual(seenA, [event, marker], 'the publisher does not get its own event back from Redis');
  });
});
