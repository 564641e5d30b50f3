import { asc, inArray, or, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../client.ts';
import type { batteryHistory } from '../schema/index.ts';
import { batteryPacks, vehicles } from '../schema/index.ts';
import { sqlState } from '../sql-state.ts';

/**
 * The locking protocol every registry write follows, so that concurrent writers
 * serialise instead of corrupting or deadlocking each other (docs/PRODUCT.md §4):
 *
 * 1. read, unlocked, the packs the request names and the vehicles they sit in;
 * 2. lock those vehicles (plus the target) in VIN order, creating the target;
 * 3. lock the packs in battery-number order;
 * 4. if a locked pack now sits in a vehicle we did not lock, someone moved it
 *    between 1 and 3: start again.
 *
 * Every writer locks a pack's vehicle before the pack, so a locked vehicle's
 * pack list cannot change under us, and locks are always taken vehicles-first
 * in a fixed order. What remains (two writers inserting the same new row) ends
 * in a unique violation or deadlock report that `inRetryingTransaction` retries.
 */

export class RegistryRefusal extends Error {
  constructor(
    readonly kind: 'conflict' | 'invalid' | 'not_found',
    message: string,
    /** The request field the refusal is about, for the caller's message. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'RegistryRefusal';
  }
}

/** Thrown inside a transaction when the unlocked read went stale; the transaction is retried. */
export class Restart extends Error {}

export interface PackRow {
  batteryNo: string;
  bmsNo: string | null;
  batteryType: number | null;
  vin: string | null;
  slot: number | null;
}
export interface VehicleRow {
  vin: string;
  batteryGroupNo: string | null;
}
export interface Scope {
  vehicles: Map<string, VehicleRow>;
  /** Vehicles this transaction created. */
  created: Set<string>;
  packs: PackRow[];
  /** Each locked vehicle's battery numbers in slot order. */
  lists: Map<string, string[]>;
}
export interface Want {
  /** Vehicles whose whole pack list is locked too. */
  wholeVins: string[];
  batteryNos: string[];
  bmsNos: string[];
  /** Vehicle to lock, and create when missing. */
  target?: string | undefined;
  at: Date;
  /** Told the tags of the rows locked (see Change.onLocked). */
  onLocked?: ((tags: readonly string[]) => void) | undefined;
}

export const packColumns = {
  batteryNo: batteryPacks.batteryNo,
  bmsNo: batteryPacks.bmsNo,
  batteryType: batteryPacks.batteryType,
  vin: batteryPacks.vin,
  slot: batteryPacks.slot,
};

function packFilter(w: Want): SQL | undefined {
  const parts: SQL[] = [];
  if (w.batteryNos.length) parts.push(inArray(batteryPacks.batteryNo, w.batteryNos));
  if (w.bmsNos.length) parts.push(inArray(batteryPacks.bmsNo, w.bmsNos));
  if (w.wholeVins.length) parts.push(inArray(batteryPacks.vin, w.wholeVins));
  return parts.length ? or(...parts) : undefined;
}

export async function listsOf(tx: DbOrTx, vins: string[]): Promise<Map<string, string[]>> {
  const lists = new Map<string, string[]>(vins.map((v) => [v, []]));
  if (!vins.length) return lists;
  const rows = await tx
    .select({ vin: batteryPacks.vin, batteryNo: batteryPacks.batteryNo })
    .from(batteryPacks)
    .where(inArray(batteryPacks.vin, vins))
    .orderBy(asc(batteryPacks.slot), asc(batteryPacks.batteryNo));
  for (const r of rows) lists.get(r.vin!)?.push(r.batteryNo);
  return lists;
}

export async function lockScope(tx: Tx, w: Want): Promise<Scope> {
  const filter = packFilter(w);
  const pre = filter ? await tx.select({ vin: batteryPacks.vin }).from(batteryPacks).where(filter) : [];
  const vinSet = new Set<string>(w.wholeVins);
  if (w.target) vinSet.add(w.target);
  for (const p of pre) if (p.vin) vinSet.add(p.vin);
  const vins = [...vinSet].sort();
  const locked = vins.length
    ? await tx
        .select({ vin: vehicles.vin, batteryGroupNo: vehicles.batteryGroupNo })
        .from(vehicles)
        .where(inArray(vehicles.vin, vins))
        .orderBy(asc(vehicles.vin))
        .for('update')
    : [];
  const vmap = new Map(locked.map((v) => [v.vin, v]));
  const created = new Set<string>();
  if (w.target && !vmap.has(w.target)) {
    const ins = await tx
      .insert(vehicles)
      .values({ vin: w.target, batteryGroupNo: null, createdAt: w.at, updatedAt: w.at })
      .onConflictDoNothing()
      .returning({ vin: vehicles.vin, batteryGroupNo: vehicles.batteryGroupNo });
    if (!ins[0]) throw new Restart(); // created by a writer that committed after our read
    vmap.set(w.target, ins[0]);
    created.add(w.target);
  }
  const packs = filter
    ? await tx.select(packColumns).from(batteryPacks).where(filter).orderBy(asc(batteryPacks.batteryNo)).for('update')
    : [];
  for (const p of packs) if (p.vin && !vmap.has(p.vin)) throw new Restart();
  w.onLocked?.(
    rowTags(
      [...vmap.keys()],
      packs.map((p) => p.batteryNo),
    ),
  );
  return { vehicles: vmap, created, packs, lists: await listsOf(tx, [...vmap.keys()]) };
}

/** The tags naming registry rows, as the look-up cache keys its answers' sources. */
export function rowTags(vins: readonly string[], batteryNos: readonly string[]): string[] {
  return [...vins.map((v) => `vin:${v}`), ...batteryNos.map((b) => `pack:${b}`)];
}

const RETRYABLE = new Set(['40001', '40P01', '23505']);

const MAX_ATTEMPTS = 25;

/**
 * Runs `fn` in a READ COMMITTED transaction, retrying it whole on serialization
 * failures, deadlocks, duplicate inserts of a new row and stale reads. A
 * duplicate that persists after the retries is a real conflict.
 */
export async function inRetryingTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(fn);
    } catch (err) {
      const state = sqlState(err);
      const retry = err instanceof Restart || (state !== undefined && RETRYABLE.has(state));
      if (!retry) throw err;
      if (attempt >= MAX_ATTEMPTS) {
        if (state === '23505')
          throw new RegistryRefusal('conflict', 'A concurrent write registered the same battery or BMS number');
        throw err;
      }
      // Jittered back-off so the writers that collided do not collide again.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(100, 2 ** attempt)));
    }
  }
}

export type HistoryRow = typeof batteryHistory.$inferInsert;
