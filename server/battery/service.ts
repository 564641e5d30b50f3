import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RegistryRefusal, type ImportVehicle, type PackPatch, type VehicleInput } from '../../db/repositories/batteries.ts';
import { AppError } from '../errors.ts';
import { actorName } from '../plugins/auth.ts';
import type { LookupCache } from './lookup-cache.ts';

/** A refusal of the registry's rules as the coded error the surfaces know. */
function asAppError(err: unknown): unknown {
  if (!(err instanceof RegistryRefusal)) return err;
  if (err.kind === 'conflict') return new AppError('CONFLICT', err.message, err.field ? { [err.field]: err.message } : undefined);
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
 * when (SPEC §4 history). With `config.batteryLookupCache` the look-ups go
 * through a LookupCache that every write here brackets, so a look-up never
 * answers older than a write that has committed.
 */
export function createBatteryService(app: FastifyInstance, cache: LookupCache | undefined) {
  const repo = app.repos.batteries;
  const change = (req: FastifyRequest) => ({ actor: actorName(req.principal), at: app.clock.now() });
  const cached = <T>(key: string, load: () => Promise<T | undefined>) => (cache ? cache.get(key, load) : load());
  const write = <T>(p: () => Promise<T>) => refusing(cache ? cache.write(p) : p());
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
    replaceVehicle: (req: FastifyRequest, vin: string, input: VehicleInput) => write(() => repo.replaceVehicle(vin, input, change(req))),
    patchByBmsNo: (req: FastifyRequest, bmsNo: string, patch: PackPatch) => write(() => repo.patchByBmsNo(bmsNo, patch, change(req))),
    patchByBatteryNo: (req: FastifyRequest, batteryNo: string, patch: PackPatch) => write(() => repo.patchByBatteryNo(batteryNo, patch, change(req))),
    importVehicles: (req: FastifyRequest, list: ImportVehicle[], opts: { dryRun: boolean; skipRefused: boolean }) => write(() => repo.importVehicles(list, opts, change(req))),
  };
}
export type BatteryService = ReturnType<typeof createBatteryService>;
