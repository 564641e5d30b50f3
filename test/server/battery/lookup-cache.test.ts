import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LookupCache } from '../../../server/battery/lookup-cache.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { engineName } from '../../helpers/db.ts';
import { gate } from '../../helpers/gate.ts';
import { seedApi } from './fixtures.ts';

/** Values name their source rows in `tags`, as the registry's answers do. */
type V = { v: string; tags: string[] };
const cache = () => new LookupCache<V>((x) => x.tags);
const val = (v: string, ...tags: string[]): V => ({ v, tags });

describe('LookupCache never keeps a value older than a committed write', () => {
  it('serves repeated look-ups from memory until a write locks one of their rows', async () => {
    const c = cache();
    let loads = 0;
    const load = async () => val(`v${++loads}`, 'vin:A');
    assert.equal((await c.get('k', load))!.v, 'v1');
    assert.equal((await c.get('k', load))!.v, 'v1');
    assert.equal(c.hits, 1);
    await c.write(async (pin) => pin(['vin:A']));
    assert.equal((await c.get('k', load))!.v, 'v2');
  });

  it('a write keeps the answers of rows it did not lock', async () => {
    const c = cache();
    await c.get('a', async () => val('a1', 'vin:A', 'pack:1'));
    await c.get('b', async () => val('b1', 'vin:B', 'pack:2'));
    await c.write(async (pin) => pin(['pack:1']));
    assert.equal(
      (await c.get('a', async () => val('a2', 'vin:A', 'pack:1')))!.v,
      'a2',
      'dropped: it was built from pack 1',
    );
    assert.equal(
      (await c.get('b', async () => val('b2', 'vin:B')))!.v,
      'b1',
      'kept: nothing it was built from changed',
    );
  });

  it('a load that read before a commit and returns after it is not stored', async () => {
    const c = cache();
    const slow = gate<V>();
    const reading = c.get('k', () => slow.promise); // began before the write
    await c.write(async (pin) => pin(['vin:A'])); // the write locks, commits and ends
    slow.open(val('before-the-write', 'vin:A'));
    assert.equal((await reading)!.v, 'before-the-write'); // concurrent with the write: either answer is fair
    assert.equal(
      (await c.get('k', async () => val('after-the-write', 'vin:A')))!.v,
      'after-the-write',
      'the stale value was not kept',
    );
  });

  it('while a write holds a row, its answers bypass the cache and nothing built from it is stored', async () => {
    const c = cache();
    await c.get('k', async () => val('old', 'vin:A'));
    const w = gate<void>();
    const locked = gate();
    const writing = c.write(async (pin) => {
      pin(['vin:A']);
      locked.open();
      await w.promise; // committed in the database, answer not yet sent
    });
    await locked.promise;
    assert.equal((await c.get('k', async () => val('db', 'vin:A')))!.v, 'db');
    assert.equal(
      (await c.get('k', async () => val('db2', 'vin:A')))!.v,
      'db2',
      'the value read while the row was held was not stored',
    );
    w.open();
    await writing;
    assert.equal((await c.get('k', async () => val('new', 'vin:A')))!.v, 'new');
    assert.equal((await c.get('k', async () => val('newer', 'vin:A')))!.v, 'new', 'stored once the write ended');
  });

  it('a warm-up scan skips rows written while it read', async () => {
    const c = cache();
    const since = c.begin();
    await c.write(async (pin) => pin(['pack:1']));
    assert.equal(c.offer(since, 'n:1', val('scanned', 'pack:1')), false);
    assert.equal(c.offer(since, 'n:2', val('scanned', 'pack:2')), true);
    c.end();
    assert.equal(c.size, 1);
  });

  it('stays within its bound, dropping the oldest answers first', async () => {
    const c = new LookupCache<V>((x) => x.tags, 2);
    for (const k of ['a', 'b', 'c']) await c.get(k, async () => val(k, `pack:${k}`));
    assert.equal(c.size, 2);
    assert.equal((await c.get('a', async () => val('a-again', 'pack:a')))!.v, 'a-again');
    await c.write(async (pin) => pin(['pack:b'])); // index entries of dropped answers are gone too
    assert.equal((await c.get('c', async () => val('c-again', 'pack:c')))!.v, 'c');
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
    await api.putVehicle(VINS[0]!, {
      batteryInfo: Array.from({ length: 8 }, (_, i) => ({ batteryNo: `K${i}`, bmsNo: `KB${i}`, batteryType: 1 })),
    });
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
        assert.ok(
          (await api.byVin(vin)).json().data.batteryInfo.some((p: { batteryNo: string }) => p.batteryNo === `K${i}`),
        );
      }
    };
    const readers = Array.from({ length: 40 }, (_, j) => api.byVin(VINS[j % 2]!));
    await Promise.all([...Array.from({ length: 8 }, (_, i) => writer(i)), ...readers]);
  });
});
