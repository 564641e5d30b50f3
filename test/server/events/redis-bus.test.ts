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

  it("subscribeOwn hears only this process's events, so work done per event is done once on the site", async () => {
    const ownA: string[] = [];
    const ownB: string[] = [];
    a.subscribeOwn((e) => 'chargerId' in e && ownA.push(e.chargerId));
    b.subscribeOwn((e) => 'chargerId' in e && ownB.push(e.chargerId));
    const arrived = new Promise<void>((resolve) =>
      b.subscribe((e) => 'chargerId' in e && e.chargerId === 'CP-OWN-2' && resolve()),
    );
    a.publish({ type: 'state', chargerId: 'CP-OWN-1', at: '2026-01-01T00:00:00.000Z', state: 'Charging' });
    b.publish({ type: 'state', chargerId: 'CP-OWN-3', at: '2026-01-01T00:00:00.000Z', state: 'Charging' });
    a.publish({ type: 'state', chargerId: 'CP-OWN-2', at: '2026-01-01T00:00:00.000Z', state: 'Charging' });
    await arrived; // b has heard a's second event, so it would have heard the first
    assert.deepEqual(ownA, ['CP-OWN-1', 'CP-OWN-2']);
    assert.deepEqual(ownB, ['CP-OWN-3']);
  });
});
