import { eq, inArray, sql } from 'drizzle-orm';
import type { Tx } from '../client.ts';
import { batteryHistory, batteryPacks, vehicles } from '../schema/index.ts';
import {
  listsOf,
  lockScope,
  packColumns,
  RegistryRefusal,
  type HistoryRow,
  type PackRow,
  type Scope,
} from './battery-scope.ts';

/** One pack of a vehicle's whole set (seed 000 §2 `batteryInfo[]`). */
export interface PackItem {
  batteryNo: string;
  bmsNo: string;
  batteryType: number;
}
export interface VehicleInput {
  /** undefined leaves the group number as it is; null clears it. */
  batteryGroupNo?: string | null;
  batteryInfo: PackItem[];
}
/** Any subset of the fields of seed 000 §4/§6; undefined means "leave as it is". */
export interface PackPatch {
  batteryNo?: string;
  bmsNo?: string | null;
  batteryType?: number;
  /** A VIN moves the pack there (a swap); null takes it out of any vehicle. */
  vinCode?: string | null;
  batteryGroupNo?: string | null;
}
export interface Change {
  actor: string;
  at: Date;
  /**
   * Told, inside the transaction and before it commits, the rows it locked
   * (tags `vin:…` and `pack:…`), so a look-up cache can drop and hold them.
   */
  onLocked?: ((tags: readonly string[]) => void) | undefined;
}

/**
 * Seed 000 §2: the body is the vehicle's whole pack set. Listed packs are
 * created or updated and put in the vehicle in the order given (taken from
 * another vehicle if need be); the vehicle's packs left out become unassigned.
 */
export async function replaceVehicleTx(tx: Tx, vin: string, input: VehicleInput, ch: Change): Promise<void> {
  const items = input.batteryInfo;
  const s = await lockScope(tx, {
    wholeVins: [vin],
    batteryNos: items.map((i) => i.batteryNo),
    bmsNos: items.map((i) => i.bmsNo),
    target: vin,
    at: ch.at,
    onLocked: ch.onLocked,
  });
  const byNo = new Map(s.packs.map((p) => [p.batteryNo, p]));
  const byBms = new Map(s.packs.filter((p) => p.bmsNo !== null).map((p) => [p.bmsNo!, p]));
  const keep = new Set(items.map((i) => i.batteryNo));
  for (const item of items) {
    const holder = byBms.get(item.bmsNo);
    // A holder listed in the same request gives its BMS number up (the request's numbers are distinct).
    if (holder && holder.batteryNo !== item.batteryNo && !keep.has(holder.batteryNo)) {
      throw new RegistryRefusal('conflict', `bmsNo ${item.bmsNo} belongs to battery ${holder.batteryNo}`, 'bmsNo');
    }
  }
  const leaving = s.packs.filter((p) => p.vin === vin && !keep.has(p.batteryNo)).map((p) => p.batteryNo);
  if (leaving.length)
    await tx
      .update(batteryPacks)
      .set({ vin: null, slot: null, updatedAt: ch.at })
      .where(inArray(batteryPacks.batteryNo, leaving));
  // BMS numbers may be exchanged between packs of the request; clear first so the unique index never sees two.
  const bmsChanging = items
    .filter((i) => {
      const p = byNo.get(i.batteryNo);
      return p && p.bmsNo !== null && p.bmsNo !== i.bmsNo;
    })
    .map((i) => i.batteryNo);
  if (bmsChanging.length)
    await tx.update(batteryPacks).set({ bmsNo: null }).where(inArray(batteryPacks.batteryNo, bmsChanging));
  if (items.length) {
    await tx
      .insert(batteryPacks)
      .values(
        items.map((i, slot) => ({
          batteryNo: i.batteryNo,
          bmsNo: i.bmsNo,
          batteryType: i.batteryType,
          vin,
          slot,
          createdAt: ch.at,
          updatedAt: ch.at,
        })),
      )
      .onConflictDoUpdate({
        target: batteryPacks.batteryNo,
        set: {
          bmsNo: sql`excluded.bms_no`,
          batteryType: sql`excluded.battery_type`,
          vin: sql`excluded.vin`,
          slot: sql`excluded.slot`,
          updatedAt: sql`excluded.updated_at`,
        },
      });
  }
  const v = s.vehicles.get(vin)!;
  if (input.batteryGroupNo !== undefined && input.batteryGroupNo !== v.batteryGroupNo) {
    await tx
      .update(vehicles)
      .set({ batteryGroupNo: input.batteryGroupNo, updatedAt: ch.at })
      .where(eq(vehicles.vin, vin));
  }
  await recordChanges(tx, s, [...keep], ch);
}

/** Seed 000 §4 (key = bmsNo) and §6 (key = batteryNo): create or change one pack. */
export async function patchPackTx(
  tx: Tx,
  key: { bmsNo: string } | { batteryNo: string },
  patch: PackPatch,
  ch: Change,
): Promise<void> {
  const byBmsKey = 'bmsNo' in key;
  const wantBms = byBmsKey ? key.bmsNo : (patch.bmsNo ?? undefined);
  const wantNo = byBmsKey ? patch.batteryNo : key.batteryNo;
  const target = typeof patch.vinCode === 'string' ? patch.vinCode : undefined;
  const s = await lockScope(tx, {
    wholeVins: [],
    batteryNos: wantNo ? [wantNo] : [],
    bmsNos: wantBms ? [wantBms] : [],
    target,
    at: ch.at,
    onLocked: ch.onLocked,
  });
  const byNo = new Map(s.packs.map((p) => [p.batteryNo, p]));
  const holder = wantBms ? s.packs.find((p) => p.bmsNo === wantBms) : undefined;

  let batteryNo: string;
  if (byBmsKey) {
    if (holder) {
      if (wantNo !== undefined && wantNo !== holder.batteryNo) {
        throw new RegistryRefusal(
          'conflict',
          `bmsNo ${key.bmsNo} belongs to battery ${holder.batteryNo}; change a battery's BMS number through updateBatteryInfoBybatteryNo`,
          'batteryNo',
        );
      }
      batteryNo = holder.batteryNo;
    } else {
      if (wantNo === undefined)
        throw new RegistryRefusal(
          'invalid',
          `batteryNo is required to register the new bmsNo ${key.bmsNo}`,
          'batteryNo',
        );
      const other = byNo.get(wantNo);
      if (other?.bmsNo)
        throw new RegistryRefusal(
          'conflict',
          `battery ${wantNo} has bmsNo ${other.bmsNo}; change it through updateBatteryInfoBybatteryNo`,
          'batteryNo',
        );
      batteryNo = wantNo;
    }
  } else {
    batteryNo = key.batteryNo;
    if (holder && holder.batteryNo !== batteryNo)
      throw new RegistryRefusal('conflict', `bmsNo ${wantBms} belongs to battery ${holder.batteryNo}`, 'bmsNo');
  }

  const current: PackRow | undefined = byNo.get(batteryNo);
  if (!current && patch.batteryType === undefined)
    throw new RegistryRefusal(
      'invalid',
      `batteryType is required to register the new battery ${batteryNo}`,
      'batteryType',
    );
  const vin = patch.vinCode !== undefined ? patch.vinCode : (current?.vin ?? null);
  if (patch.batteryGroupNo !== undefined && vin === null) {
    throw new RegistryRefusal(
      'invalid',
      'batteryGroupNo belongs to a vehicle: the battery is in none, so give vinCode too',
      'batteryGroupNo',
    );
  }
  const slot =
    vin === null
      ? null
      : vin === current?.vin
        ? current.slot
        : (s.lists.get(vin)?.length ?? 0) > 0
          ? await nextSlot(tx, vin)
          : 0;
  const bmsNo = byBmsKey ? key.bmsNo : patch.bmsNo !== undefined ? patch.bmsNo : (current?.bmsNo ?? null);
  const batteryType = patch.batteryType ?? current?.batteryType ?? null;
  await tx
    .insert(batteryPacks)
    .values({ batteryNo, bmsNo, batteryType, vin, slot, createdAt: ch.at, updatedAt: ch.at })
    .onConflictDoUpdate({ target: batteryPacks.batteryNo, set: { bmsNo, batteryType, vin, slot, updatedAt: ch.at } });
  if (
    patch.batteryGroupNo !== undefined &&
    vin !== null &&
    s.vehicles.get(vin)!.batteryGroupNo !== patch.batteryGroupNo
  ) {
    await tx
      .update(vehicles)
      .set({ batteryGroupNo: patch.batteryGroupNo, updatedAt: ch.at })
      .where(eq(vehicles.vin, vin));
  }
  await recordChanges(tx, s, [batteryNo], ch);
}

async function nextSlot(tx: Tx, vin: string): Promise<number> {
  const rows = await tx
    .select({ next: sql<number>`coalesce(max(${batteryPacks.slot}) + 1, 0)::int` })
    .from(batteryPacks)
    .where(eq(batteryPacks.vin, vin));
  return rows[0]?.next ?? 0;
}

const packSnap = (p: PackRow) => ({
  batteryNo: p.batteryNo,
  bmsNo: p.bmsNo,
  batteryType: p.batteryType,
  vinCode: p.vin,
});

/**
 * docs/PRODUCT.md §4 history: one row per pack and per vehicle that changed, with before
 * and after, written in the same transaction as the change. The scope is
 * locked, so the re-read "after" state is exactly this transaction's doing.
 */
async function recordChanges(tx: Tx, s: Scope, touched: string[], ch: Change): Promise<void> {
  const nos = [...new Set([...s.packs.map((p) => p.batteryNo), ...touched])];
  const after = nos.length
    ? await tx.select(packColumns).from(batteryPacks).where(inArray(batteryPacks.batteryNo, nos))
    : [];
  const before = new Map(s.packs.map((p) => [p.batteryNo, p]));
  const rows: HistoryRow[] = [];
  for (const a of after) {
    const b = before.get(a.batteryNo);
    const bs = b ? packSnap(b) : null;
    const as = packSnap(a);
    if (bs && JSON.stringify(bs) === JSON.stringify(as)) continue;
    const action = !bs ? 'pack.create' : bs.vinCode !== as.vinCode ? 'pack.move' : 'pack.update';
    rows.push({
      at: ch.at,
      actor: ch.actor,
      action,
      vin: as.vinCode ?? bs?.vinCode ?? null,
      batteryNo: a.batteryNo,
      before: bs,
      after: as,
    });
  }
  const vins = [...s.vehicles.keys()];
  const afterLists = await listsOf(tx, vins);
  const afterVehicles = vins.length
    ? await tx
        .select({ vin: vehicles.vin, batteryGroupNo: vehicles.batteryGroupNo })
        .from(vehicles)
        .where(inArray(vehicles.vin, vins))
    : [];
  for (const av of afterVehicles) {
    const bv = s.vehicles.get(av.vin)!;
    const created = s.created.has(av.vin);
    const bsnap = created
      ? null
      : { vinCode: av.vin, batteryGroupNo: bv.batteryGroupNo, batteryNos: s.lists.get(av.vin) ?? [] };
    const asnap = { vinCode: av.vin, batteryGroupNo: av.batteryGroupNo, batteryNos: afterLists.get(av.vin) ?? [] };
    if (bsnap && JSON.stringify(bsnap) === JSON.stringify(asnap)) continue;
    rows.push({
      at: ch.at,
      actor: ch.actor,
      action: created ? 'vehicle.create' : 'vehicle.update',
      vin: av.vin,
      batteryNo: null,
      before: bsnap,
      after: asnap,
    });
  }
  if (rows.length) await tx.insert(batteryHistory).values(rows);
  // Vehicle rows record when their pack list last changed, too.
  const moved = vins.filter((v) => JSON.stringify(s.lists.get(v)) !== JSON.stringify(afterLists.get(v)));
  if (moved.length) await tx.update(vehicles).set({ updatedAt: ch.at }).where(inArray(vehicles.vin, moved));
}
