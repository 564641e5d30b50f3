import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Database } from '../../db/client.ts';
import { createBatteryRepository, RegistryRefusal, type BatteryRepository } from '../../db/repositories/batteries.ts';
import { batteryPacks, vehicles } from '../../db/schema/index.ts';
import { createTestDatabase, engineName } from '../helpers/db.ts';

const at = new Date('2026-02-01T00:00:00Z');
const ch = { actor: 'user:test', at };
const pack = (n: number) => ({ batteryNo: `P${n}`, bmsNo: `B${n}`, batteryType: 1 });

describe(`battery repository and constraints on ${engineName}`, () => {
  let database: Database;
  let repo: BatteryRepository;
  before(async () => {
    database = await createTestDatabase();
    repo = createBatteryRepository(database.db);
  });
  after(() => database.close());

  it('the database itself refuses a second pack with the same BMS number, a pack in an unknown vehicle, and a slot without a vehicle', async () => {
    await database.db
      .insert(batteryPacks)
      .values({ batteryNo: 'C1', bmsNo: 'CB', batteryType: 1, createdAt: at, updatedAt: at });
    await assert.rejects(
      database.db
        .insert(batteryPacks)
        .values({ batteryNo: 'C2', bmsNo: 'CB', batteryType: 1, createdAt: at, updatedAt: at }),
    );
    await assert.rejects(
      database.db
        .insert(batteryPacks)
        .values({ batteryNo: 'C3', vin: 'NOSUCHVIN00000000', slot: 0, createdAt: at, updatedAt: at }),
    );
    await assert.rejects(
      database.db.insert(batteryPacks).values({ batteryNo: 'C4', slot: 3, createdAt: at, updatedAt: at }),
    );
    await database.db.insert(vehicles).values({ vin: 'V0000000000000000', createdAt: at, updatedAt: at });
    await assert.rejects(
      database.db
        .insert(batteryPacks)
        .values({ batteryNo: 'C5', vin: 'V0000000000000000', createdAt: at, updatedAt: at }),
    );
  });

  it('exchanging BMS numbers between two packs of one vehicle in one update works (no transient duplicate)', async () => {
    await repo.replaceVehicle('V1000000000000000', { batteryInfo: [pack(1), pack(2)] }, ch);
    await repo.replaceVehicle(
      'V1000000000000000',
      {
        batteryInfo: [
          { ...pack(1), bmsNo: 'B2' },
          { ...pack(2), bmsNo: 'B1' },
        ],
      },
      ch,
    );
    assert.equal((await repo.byBmsNo('B1'))?.batteryNo, 'P2');
    assert.equal((await repo.byBmsNo('B2'))?.batteryNo, 'P1');
  });

  it('a refused write is a RegistryRefusal and leaves nothing behind', async () => {
    await assert.rejects(
      repo.replaceVehicle('V2000000000000000', { batteryInfo: [{ batteryNo: 'P9', bmsNo: 'B1', batteryType: 1 }] }, ch),
      (e) => e instanceof RegistryRefusal && e.kind === 'conflict',
    );
    assert.equal(
      await repo.byVin('V2000000000000000'),
      undefined,
      'the vehicle created inside the refused transaction is gone',
    );
    assert.equal(await repo.byBatteryNo('P9'), undefined);
  });

  it('concurrent whole-set updates over shared packs: each pack ends in exactly one vehicle, lists and look-ups agree', async () => {
    const vins = ['V3000000000000000', 'V3000000000000001', 'V3000000000000002'];
    const work = Array.from({ length: 60 }, (_, i) => {
      const set = [pack(10 + (i % 5)), pack(10 + ((i * 3) % 7)), pack(10 + ((i * 5 + 1) % 6))].filter(
        (p, j, a) => a.findIndex((q) => q.batteryNo === p.batteryNo) === j,
      );
      return i % 3 === 2
        ? repo.patchByBatteryNo(set[0]!.batteryNo, { vinCode: vins[(i + 1) % 3]!, batteryType: 1 }, ch)
        : repo.replaceVehicle(vins[i % 3]!, { batteryGroupNo: `G${i}`, batteryInfo: set }, ch);
    });
    await Promise.all(work);
    const listed = new Map<string, string>();
    for (const vin of vins) {
      for (const p of (await repo.byVin(vin))?.batteryInfo ?? []) {
        assert.equal(listed.get(p.batteryNo), undefined, `${p.batteryNo} in two vehicles`);
        listed.set(p.batteryNo, vin);
      }
    }
    for (let n = 10; n < 17; n++) {
      const p = await repo.byBatteryNo(`P${n}`);
      if (!p) continue;
      assert.equal(p.vinCode ?? undefined, listed.get(`P${n}`));
      assert.deepEqual(await repo.byBmsNo(`B${n}`), p);
    }
  });
});
