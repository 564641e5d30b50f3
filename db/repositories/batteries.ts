import { and, asc, count, desc, eq, gt, ilike, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../client.ts';
import { batteryHistory, batteryPacks, vehicles } from '../schema/index.ts';
import { inRetryingTransaction, RegistryRefusal } from './battery-scope.ts';
import { patchPackTx, replaceVehicleTx, type Change, type PackPatch, type VehicleInput } from './battery-writes.ts';

export { RegistryRefusal } from './battery-scope.ts';
export type { Change, PackItem, PackPatch, VehicleInput } from './battery-writes.ts';

/** Seed 000 §1 `data`. */
export interface VehicleView {
  vinCode: string;
  batteryGroupNo: string | null;
  batteryInfo: { batteryNo: string; bmsNo: string | null; batteryType: number | null }[];
  /** Epoch milliseconds of the vehicle record. */
  createTime: number;
}
/** Seed 000 §3/§5 `data`. */
export interface PackView {
  batteryNo: string;
  bmsNo: string | null;
  batteryType: number | null;
  vinCode: string | null;
  batteryGroupNo: string | null;
}
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
export interface ImportVehicle {
  vin: string;
  input: VehicleInput;
  /** Where it came from in the file (array index or CSV line numbers), for the report. */
  ref: string;
}
export interface ImportReport {
  dryRun: boolean;
  committed: boolean;
  vehicles: number;
  packs: number;
  refused: { ref: string; vinCode: string; reason: string }[];
}

const packView = {
  batteryNo: batteryPacks.batteryNo,
  bmsNo: batteryPacks.bmsNo,
  batteryType: batteryPacks.batteryType,
  vinCode: batteryPacks.vin,
  batteryGroupNo: vehicles.batteryGroupNo,
};

class Rollback extends Error {}

const like = (q: string) => `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export function createBatteryRepository(db: Db) {
  async function packBy(where: SQL): Promise<PackView | undefined> {
    const rows = await db
      .select(packView)
      .from(batteryPacks)
      .leftJoin(vehicles, eq(vehicles.vin, batteryPacks.vin))
      .where(where);
    return rows[0];
  }

  return {
    /** Seed 000 §1: the vehicle and its packs in the station's order. */
    async byVin(vin: string): Promise<VehicleView | undefined> {
      const rows = await db
        .select({
          vin: vehicles.vin,
          group: vehicles.batteryGroupNo,
          createdAt: vehicles.createdAt,
          batteryNo: batteryPacks.batteryNo,
          bmsNo: batteryPacks.bmsNo,
          batteryType: batteryPacks.batteryType,
        })
        .from(vehicles)
        .leftJoin(batteryPacks, eq(batteryPacks.vin, vehicles.vin))
        .where(eq(vehicles.vin, vin))
        .orderBy(asc(batteryPacks.slot), asc(batteryPacks.batteryNo));
      const first = rows[0];
      if (!first) return undefined;
      return {
        vinCode: first.vin,
        batteryGroupNo: first.group,
        batteryInfo: rows
          .filter((r) => r.batteryNo !== null)
          .map((r) => ({ batteryNo: r.batteryNo!, bmsNo: r.bmsNo, batteryType: r.batteryType })),
        createTime: first.createdAt.getTime(),
      };
    },
    /** Vehicles after `afterVin` in VIN order, as §1 answers (a look-up cache's warm-up). */
    async scanVehicles(afterVin: string, limit: number): Promise<VehicleView[]> {
      const page = db
        .$with('page')
        .as(
          db
            .select({ vin: vehicles.vin, group: vehicles.batteryGroupNo, createdAt: vehicles.createdAt })
            .from(vehicles)
            .where(gt(vehicles.vin, afterVin))
            .orderBy(asc(vehicles.vin))
            .limit(limit),
        );
      const rows = await db
        .with(page)
        .select({
          vin: page.vin,
          group: page.group,
          createdAt: page.createdAt,
          batteryNo: batteryPacks.batteryNo,
          bmsNo: batteryPacks.bmsNo,
          batteryType: batteryPacks.batteryType,
        })
        .from(page)
        .leftJoin(batteryPacks, eq(batteryPacks.vin, page.vin))
        .orderBy(asc(page.vin), asc(batteryPacks.slot), asc(batteryPacks.batteryNo));
      const out: VehicleView[] = [];
      for (const r of rows) {
        let v = out.at(-1);
        if (v?.vinCode !== r.vin)
          out.push(
            (v = { vinCode: r.vin, batteryGroupNo: r.group, batteryInfo: [], createTime: r.createdAt.getTime() }),
          );
        if (r.batteryNo !== null)
          v.batteryInfo.push({ batteryNo: r.batteryNo, bmsNo: r.bmsNo, batteryType: r.batteryType });
      }
      return out;
    },
    /** Packs after `afterBatteryNo` in battery-number order, as §3/§5 answers. */
    scanPacks: (afterBatteryNo: string, limit: number): Promise<PackView[]> =>
      db
        .select(packView)
        .from(batteryPacks)
        .leftJoin(vehicles, eq(vehicles.vin, batteryPacks.vin))
        .where(gt(batteryPacks.batteryNo, afterBatteryNo))
        .orderBy(asc(batteryPacks.batteryNo))
        .limit(limit),
    /** Seed 000 §3. */
    byBmsNo: (bmsNo: string) => packBy(eq(batteryPacks.bmsNo, bmsNo)),
    /** Seed 000 §5. */
    byBatteryNo: (batteryNo: string) => packBy(eq(batteryPacks.batteryNo, batteryNo)),

    /** Seed 000 §2, in one transaction. */
    replaceVehicle: (vin: string, input: VehicleInput, ch: Change) =>
      inRetryingTransaction(db, (tx) => replaceVehicleTx(tx, vin, input, ch)),
    /** Seed 000 §4. */
    patchByBmsNo: (bmsNo: string, patch: PackPatch, ch: Change) =>
      inRetryingTransaction(db, (tx) => patchPackTx(tx, { bmsNo }, patch, ch)),
    /** Seed 000 §6. */
    patchByBatteryNo: (batteryNo: string, patch: PackPatch, ch: Change) =>
      inRetryingTransaction(db, (tx) => patchPackTx(tx, { batteryNo }, patch, ch)),

    /**
     * Imports vehicles, each as its whole pack set, in one transaction. A refused
     * vehicle is rolled back to its savepoint and reported; unless `skipRefused`,
     * any refusal (or `dryRun`) rolls everything back, so the report is exact either way.
     */
    async importVehicles(
      list: ImportVehicle[],
      opts: { dryRun: boolean; skipRefused: boolean },
      ch: Change,
    ): Promise<ImportReport> {
      let report: ImportReport | undefined;
      try {
        await inRetryingTransaction(db, async (tx) => {
          report = { dryRun: opts.dryRun, committed: false, vehicles: 0, packs: 0, refused: [] };
          for (const v of list) {
            try {
              await tx.transaction((sp) => replaceVehicleTx(sp, v.vin, v.input, ch));
              report.vehicles += 1;
              report.packs += v.input.batteryInfo.length;
            } catch (err) {
              if (!(err instanceof RegistryRefusal)) throw err;
              report.refused.push({ ref: v.ref, vinCode: v.vin, reason: err.message });
            }
          }
          if (opts.dryRun || (report.refused.length && !opts.skipRefused)) throw new Rollback();
          report.committed = true;
        });
      } catch (err) {
        if (!(err instanceof Rollback)) throw err;
      }
      return report!;
    },

    async listVehicles(q: {
      q?: string;
      page: number;
      pageSize: number;
    }): Promise<
      Page<{ vinCode: string; batteryGroupNo: string | null; packs: number; createTime: number; updatedAt: number }>
    > {
      const where = q.q ? or(ilike(vehicles.vin, like(q.q)), ilike(vehicles.batteryGroupNo, like(q.q))) : undefined;
      const packs = db.$with('pc').as(
        db
          .select({ vin: batteryPacks.vin, n: count().as('n') })
          .from(batteryPacks)
          .groupBy(batteryPacks.vin),
      );
      const [rows, total] = await Promise.all([
        db
          .with(packs)
          .select({
            vinCode: vehicles.vin,
            batteryGroupNo: vehicles.batteryGroupNo,
            packs: sql<number>`coalesce(${packs.n}, 0)::int`,
            createdAt: vehicles.createdAt,
            updatedAt: vehicles.updatedAt,
          })
          .from(vehicles)
          .leftJoin(packs, eq(packs.vin, vehicles.vin))
          .where(where)
          .orderBy(asc(vehicles.vin))
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize),
        db.select({ n: count() }).from(vehicles).where(where),
      ]);
      return {
        items: rows.map((r) => ({
          vinCode: r.vinCode,
          batteryGroupNo: r.batteryGroupNo,
          packs: r.packs,
          createTime: r.createdAt.getTime(),
          updatedAt: r.updatedAt.getTime(),
        })),
        total: total[0]?.n ?? 0,
        page: q.page,
        pageSize: q.pageSize,
      };
    },

    async listPacks(q: { q?: string; vin?: string; page: number; pageSize: number }): Promise<Page<PackView>> {
      const parts: SQL[] = [];
      if (q.q) parts.push(or(ilike(batteryPacks.batteryNo, like(q.q)), ilike(batteryPacks.bmsNo, like(q.q)))!);
      if (q.vin) parts.push(eq(batteryPacks.vin, q.vin));
      const where = parts.length ? and(...parts) : undefined;
      const [items, total] = await Promise.all([
        db
          .select(packView)
          .from(batteryPacks)
          .leftJoin(vehicles, eq(vehicles.vin, batteryPacks.vin))
          .where(where)
          .orderBy(asc(batteryPacks.batteryNo))
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize),
        db.select({ n: count() }).from(batteryPacks).where(where),
      ]);
      return { items, total: total[0]?.n ?? 0, page: q.page, pageSize: q.pageSize };
    },

    /** docs/PRODUCT.md §4: the changes to one vehicle or one pack, newest first. */
    async history(q: { vin?: string; batteryNo?: string; page: number; pageSize: number }) {
      const where = q.vin ? eq(batteryHistory.vin, q.vin) : eq(batteryHistory.batteryNo, q.batteryNo ?? '');
      const [rows, total] = await Promise.all([
        db
          .select()
          .from(batteryHistory)
          .where(where)
          .orderBy(desc(batteryHistory.at), desc(batteryHistory.id))
          .limit(q.pageSize)
          .offset((q.page - 1) * q.pageSize),
        db.select({ n: count() }).from(batteryHistory).where(where),
      ]);
      return {
        items: rows.map((r) => ({
          id: r.id,
          at: r.at.toISOString(),
          actor: r.actor,
          action: r.action,
          vinCode: r.vin,
          batteryNo: r.batteryNo,
          before: r.before,
          after: r.after,
        })),
        total: total[0]?.n ?? 0,
        page: q.page,
        pageSize: q.pageSize,
      };
    },
  };
}
export type BatteryRepository = ReturnType<typeof createBatteryRepository>;
