import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  RegistryRefusal,
  type Change,
  type ImportVehicle,
  type PackPatch,
  type PackView,
  type VehicleInput,
  type VehicleView,
} from '../../db/repositories/batteries.ts';
import { rowTags } from '../../db/repositories/battery-scope.ts';
import { AppError } from '../errors.ts';
import { actorName } from '../plugins/auth.ts';
import { LookupCache } from './lookup-cache.ts';

type Cached = VehicleView | PackView;

/**
 * The registry rows an answer was built from. A vehicle's answer needs only
 * its vehicle's tag: every write locks the vehicle of each pack it locks
 * (lockScope restarts otherwise), so no pack of it changes unpinned.
 */
const sourcesOf = (v: Cached) =>
  'createTime' in v ? rowTags([v.vinCode], []) : rowTags(v.vinCode ? [v.vinCode] : [], [v.batteryNo]);

export const newLookupCache = () => new LookupCache<Cached>(sourcesOf);

/** A refusal of the registry's rules as the coded error the surfaces know. */
function asAppError(err: unknown): unknown {
  if (!(err instanceof RegistryRefusal)) return err;
  if (err.kind === 'conflict')
    return new AppError('CONFLICT', err.message, err.field ? { [err.field]: err.message } : undefined);
  if (err.kind === 'not_found') return new AppError('NOT_FOUND', err.message);
  return new AppError('VALIDATION_FAILED', err.message, err.field ? { [err.field]: err.message } : undefined);
}

async function refusing<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    throw asAppError(err);
  }
}

/**
 * The registry as the routes use it: reads, and writes stamped with who and
 * when (docs/PRODUCT.md §4 history). With `config.batteryLookupCache` the look-ups go
 * through a LookupCache that every write here brackets, so a look-up never
 * answers older than a write that has committed.
 */
export function createBatteryService(app: FastifyInstance, cache: LookupCache<Cached> | undefined) {
  const repo = app.repos.batteries;
  const cached = <T extends Cached>(key: string, load: () => Promise<T | undefined>) =>
    cache ? cache.get(key, load) : load();
  /** Runs a write stamped with who and when, telling the cache which rows it locked. */
  const write = <T>(req: FastifyRequest, run: (ch: Change) => Promise<T>) => {
    const ch = { actor: actorName(req.principal), at: app.clock.now() };
    return refusing(cache ? cache.write((pin) => run({ ...ch, onLocked: pin })) : run(ch));
  };
  return {
    async byVin(vin: string) {
      const v = await cached(`v:${vin}`, () => repo.byVin(vin));
      if (!v) throw new AppError('NOT_FOUND', `No vehicle with vinCode ${vin}`);
      return v;
    },
    async byBmsNo(bmsNo: string) {
      const p = await cached(`b:${bmsNo}`, () => repo.byBmsNo(bmsNo));
      if (!p) throw new AppError('NOT_FOUND', `No battery with bmsNo ${bmsNo}`);
      return p;
    },
    async byBatteryNo(batteryNo: string) {
      const p = await cached(`n:${batteryNo}`, () => repo.byBatteryNo(batteryNo));
      if (!p) throw new AppError('NOT_FOUND', `No battery with batteryNo ${batteryNo}`);
      return p;
    },
    /**
     * Loads the whole registry into the cache, a page at a time, so the first
     * look-ups after a start do not all go to the database. Each page is
     * offered under the same rule as any load: rows written since it was read
     * are skipped. Stops early when `stopped()` (the server is closing).
     */
    async warm(stopped: () => boolean, pageSize = 1000): Promise<number> {
      if (!cache) return 0;
      let stored = 0;
      /** Walks one keyset scan a page at a time, offering each row under the answers' keys. */
      const scan = async <T extends Cached>(
        page: (after: string) => Promise<T[]>,
        cursor: (row: T) => string,
        keys: (row: T) => string[],
      ) => {
        for (let after = ''; !stopped();) {
          const since = cache.begin();
          try {
            const rows = await page(after);
            for (const row of rows) for (const key of keys(row)) stored += Number(cache.offer(since, key, row));
            if (rows.length < pageSize) return;
            after = cursor(rows.at(-1)!);
          } finally {
            cache.end();
          }
        }
      };
      await scan(
        (after) => repo.scanVehicles(after, pageSize),
        (v) => v.vinCode,
        (v) => [`v:${v.vinCode}`],
      );
      await scan(
        (after) => repo.scanPacks(after, pageSize),
        (p) => p.batteryNo,
        (p) => (p.bmsNo === null ? [`n:${p.batteryNo}`] : [`n:${p.batteryNo}`, `b:${p.bmsNo}`]),
      );
      return stored;
    },
    replaceVehicle: (req: FastifyRequest, vin: string, input: VehicleInput) =>
      write(req, (ch) => repo.replaceVehicle(vin, input, ch)),
    patchByBmsNo: (req: FastifyRequest, bmsNo: string, patch: PackPatch) =>
      write(req, (ch) => repo.patchByBmsNo(bmsNo, patch, ch)),
    patchByBatteryNo: (req: FastifyRequest, batteryNo: string, patch: PackPatch) =>
      write(req, (ch) => repo.patchByBatteryNo(batteryNo, patch, ch)),
    importVehicles: (req: FastifyRequest, list: ImportVehicle[], opts: { dryRun: boolean; skipRefused: boolean }) =>
      write(req, (ch) => repo.importVehicles(list, opts, ch)),
  };
}
export type BatteryService = ReturnType<typeof createBatteryService>;
