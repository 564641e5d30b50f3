import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LookupCache } from '../../../server/battery/lookup-cache.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { engineName } from '../../helpers/db.ts';
import { seedApi } from './fixtures.ts';

/** A promise the test resolves by hand, to order a load against a write exactly. */
function gate<T>() {
  let open!: (v: T) => void;
  const promise = new Promise<T>((r) => (open = r));
  return { promise, open };
}

describe('LookupCache never keeps a value older than a committed write', () => {
  it('serves repeated look-ups from memory until a write ends', async () => {
    const c = new LookupCache();
    let loads = 0;
    const load = async () => `v${++loads}`;
    assert.equal(await c.get('k', load), 'v1');
    assert.equal(await c.get('k', load), 'v1');
    assert.equal(c.hits, 1);
    await c.write(async () => {});
    assert.equal(await c.get('k', load), 'v2');
  });

  it('a load that read before a commit and returns after it is not stored', async () => {
    const c = new LookupCache();
    const slow = gate<string>();
    const reading = c.get('k', () => slow.promise); // began before the write
    await c.write(async () => {}); // the write commits and ends
    slow.open('before-the-write');
    assert.equal(await reading, 'before-the-write'); // concurrent with the write: either answer is fair
    assert.equal(await c.get('k', async () => 'after-the-write'), 'after-the-write', 'the stale value was not kept');
  });

  it('while a write is in flight, look-ups bypass the cache and nothing is stored', async () => {
    const c = new LookupCache();
    await c.get('k', async () => 'old');
    const w = gate<void>();
    const writing = c.write(() => w.promise);
    assert.equal(await c.get('k', async () => 'db'), 'db');
    w.open();
    await writing;
    assert.equal(await c.get('k', async () => 'new'), 'new');
  });
});

describe(`look-ups through the cache see every answered write, on ${engineName}`, () => {
  let t: TestApp;
  let api: ReturnType<typeof seedApi>;
  const VINS = ['LLV2ANB22F0000021', 'LLV2ANB22F0000022'];
  before(async () => {
    t = await createTestApp(); // PGlite-style default: cache on (config.batteryLookupCache)
    assert.equal(t.app.config.batteryLookupCache, true);
    api = seedApi(t);
    await t.as('viewer');
    await t.as('operator');
    await api.putVehicle(VINS[0]!, { batteryInfo: Array.from({ length: 8 }, (_, i) => ({ batteryNo: `K${i}`, bmsNo: `KB${i}`, batteryType: 1 })) });
  });
  after(() => t.close());

  it('each writer reads its own write back at once, amid concurrent readers filling the cache', async () => {
    const writer = async (i: number) => {
      for (let round = 0; round < 4; round++) {
        const vin = VINS[(i + round) % 2]!;
        await api.byNo(`K${i}`); // warm the cache with the old value
        const res = await api.putByNo(`K${i}`, { vinCode: vin, batteryType: round });
        assert.equal(res.statusCode, 200);
        const seen = (await api.byNo(`K${i}`)).json().data;
        assert.deepEqual([seen.vinCode, seen.batteryType], [vin, round], `K${i} round ${round}`);
        const bms = (await api.byBms(`KB${i}`)).json().data;
        assert.deepEqual([bms.vinCode, bms.batteryType], [vin, round]);
        assert.ok((await api.byVin(vin)).json().data.batteryInfo.some((p: { batteryNo: string }) => p.batteryNo === `K${i}`));
      }
    };
    const readers = Array.from({ length: 40 }, (_, j) => api.byVin(VINS[j % 2]!));
    await Promise.all([...Array.from({ length: 8 }, (_, i) => writer(i)), ...readers]);
  });
});
