import { sql } from 'drizzle-orm';
import type { TestApp } from '../../helpers/app.ts';

/** Seed 000 §1: the example vehicle, its group and its 12 packs in the seed's order. */
export const SEED_VIN = 'LLV2ANB22F0000673';
export const SEED_GROUP = '00B-00071';
export const SEED_PACKS = [
  ['4017052327', 'C2AB0000018C'],
  ['4017052065', 'C2AB0000016E'],
  ['4017052437', 'C2AB00000181'],
  ['4017052408', 'C2AB00000187'],
  ['4017052399', 'C2AA000000BE'],
  ['4017052401', 'C2AB00000191'],
  ['4017052402', 'C2AB0000019E'],
  ['4017052064', 'C2AB0000016B'],
  ['4017052435', 'C2AB00000184'],
  ['4017052434', 'C2AB0000018A'],
  ['4017052443', 'C2AB0000018B'],
  ['4017052405', 'C2AB00000189'],
].map(([batteryNo, bmsNo]) => ({ batteryNo: batteryNo!, bmsNo: bmsNo!, batteryType: 2 }));

/** Seed 000 §3/§5: the second example. */
export const SEED_PACK = {
  batteryNo: 'M15027249',
  bmsNo: 'C02500007407',
  batteryType: 2,
  vinCode: 'MMV2ARB25G0000926',
  batteryGroupNo: '02312-A00926',
};

export const OK_EMPTY = { code: '1000', msg: null, data: null };

/** Thin wrappers over app.inject for the six seed paths. */
export function seedApi(t: TestApp) {
  const call = async (method: 'GET' | 'POST', url: string, role: 'viewer' | 'operator' | 'admin', payload?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: await t.as(role),
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
  return {
    byVin: (vin: string) => call('GET', `/batteryInfo/getBatteryInfoEsbpByVin/${vin}`, 'viewer'),
    byBms: (bms: string) => call('GET', `/batteryInfo/getBatteryInfoEsbpBmsNo/${bms}`, 'viewer'),
    byNo: (no: string) => call('GET', `/batteryInfo/getBatteryInfoEsbpByBatteryNo/${no}`, 'viewer'),
    putVehicle: (vin: string, body: unknown) =>
      call('POST', `/batteryInfo/updateBatteryInfoByVinCode/${vin}`, 'operator', body),
    putByBms: (bms: string, body: unknown) =>
      call('POST', `/batteryInfo/updateBatteryInfoByBmsNo/${bms}`, 'operator', body),
    putByNo: (no: string, body: unknown) =>
      call('POST', `/batteryInfo/updateBatteryInfoBybatteryNo/${no}`, 'operator', body),
  };
}

/** Rows of a raw query, whichever engine answers. */
export async function rows(t: TestApp, query: string): Promise<Record<string, unknown>[]> {
  const res = (await t.database.db.execute(sql.raw(query))) as unknown as { rows: Record<string, unknown>[] };
  return res.rows;
}

/** Everything the registry holds, in a stable order, to prove a refusal changed nothing. */
export async function dump(t: TestApp): Promise<string> {
  const v = await rows(t, 'select vin, battery_group_no, created_at, updated_at from vehicles order by vin');
  const p = await rows(
    t,
    'select battery_no, bms_no, battery_type, vin, slot, updated_at from battery_packs order by battery_no',
  );
  const h = await rows(t, 'select count(*)::int as n from battery_history');
  return JSON.stringify({ v, p, h });
}
