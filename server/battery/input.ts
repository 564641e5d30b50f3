import { AppError } from '../errors.ts';
import type { PackItem, PackPatch, VehicleInput } from '../../db/repositories/batteries.ts';

/**
 * Input checks for the battery API (seed 000). Each failure is a 1001 whose
 * message names the field. Written by hand rather than left to the schema
 * validator because the legacy clients need exact types (no "2" for 2) and a
 * message per field, and unknown fields must be refused, not silently dropped.
 */

/** ISO 3779: 17 characters, digits and capitals without I, O and Q. Lower case is normalised to upper. */
const VIN = /^[A-HJ-NPR-Z0-9]{17}$/;
/** Battery, BMS and group numbers: the seed's are like 4017052327, C2AB0000018C, 02312-A00926. */
const CODE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
export const MAX_PACKS_PER_VEHICLE = 64;
export const BATTERY_TYPE_MAX = 999;

export class Checker {
  readonly fields: Record<string, string> = {};
  fail(field: string, problem: string): undefined {
    this.fields[field] ??= problem;
    return undefined;
  }
  vin(raw: unknown, field: string): string | undefined {
    if (typeof raw !== 'string') return this.fail(field, 'must be a 17-character VIN string');
    const v = raw.toUpperCase();
    if (!VIN.test(v)) return this.fail(field, 'must be a 17-character VIN (ISO 3779: A-Z and 0-9 without I, O, Q)');
    return v;
  }
  code(raw: unknown, field: string): string | undefined {
    if (typeof raw !== 'string') return this.fail(field, 'must be a string');
    if (!CODE.test(raw))
      return this.fail(
        field,
        'must be 1-32 characters of A-Z, a-z, 0-9, ".", "_" or "-", starting with a letter or digit',
      );
    return raw;
  }
  type(raw: unknown, field: string): number | undefined {
    if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 0 || raw > BATTERY_TYPE_MAX)
      return this.fail(field, `must be an integer from 0 to ${BATTERY_TYPE_MAX}`);
    return raw;
  }
  object(raw: unknown, field: string): Record<string, unknown> | undefined {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return this.fail(field, 'must be a JSON object');
    return raw as Record<string, unknown>;
  }
  only(obj: Record<string, unknown>, allowed: string[], prefix = ''): void {
    for (const k of Object.keys(obj)) if (!allowed.includes(k)) this.fail(`${prefix}${k}`, 'is not an accepted field');
  }
  /** Throws the collected failures as one 1001. */
  done(): void {
    const entries = Object.entries(this.fields);
    if (!entries.length) return;
    throw new AppError('VALIDATION_FAILED', entries.map(([f, p]) => `${f} ${p}`).join('; '), this.fields);
  }
}

/** A path parameter: a VIN, or a battery / BMS number. */
export function pathVin(raw: string): string {
  const c = new Checker();
  const v = c.vin(raw, 'vinCode');
  c.done();
  return v!;
}
export function pathCode(raw: string, field: 'bmsNo' | 'batteryNo'): string {
  const c = new Checker();
  const v = c.code(raw, field);
  c.done();
  return v!;
}

/** Seed 000 §2 body: the vehicle's whole pack set. A `vinCode` in the body is tolerated when it is the path's. */
export function vehicleBody(body: unknown, vin: string): VehicleInput {
  const c = new Checker();
  const obj = c.object(body, 'body');
  c.done();
  c.only(obj!, ['batteryGroupNo', 'batteryInfo', 'vinCode']);
  if ('vinCode' in obj! && c.vin(obj.vinCode, 'vinCode') !== undefined && String(obj.vinCode).toUpperCase() !== vin)
    c.fail('vinCode', 'differs from the VIN in the path');
  const group =
    obj!.batteryGroupNo === undefined || obj!.batteryGroupNo === null
      ? (obj!.batteryGroupNo as null | undefined)
      : c.code(obj!.batteryGroupNo, 'batteryGroupNo');
  const list = obj!.batteryInfo;
  const items: PackItem[] = [];
  if (!Array.isArray(list))
    c.fail('batteryInfo', 'must be an array of {batteryNo, bmsNo, batteryType} (the whole pack set)');
  else if (list.length > MAX_PACKS_PER_VEHICLE)
    c.fail('batteryInfo', `may hold at most ${MAX_PACKS_PER_VEHICLE} packs`);
  else {
    const seenNo = new Map<string, number>();
    const seenBms = new Map<string, number>();
    list.forEach((raw, i) => {
      const at = `batteryInfo[${i}]`;
      const o = c.object(raw, at);
      if (!o) return;
      c.only(o, ['batteryNo', 'bmsNo', 'batteryType'], `${at}.`);
      const batteryNo = c.code(o.batteryNo, `${at}.batteryNo`);
      const bmsNo = c.code(o.bmsNo, `${at}.bmsNo`);
      const batteryType = c.type(o.batteryType, `${at}.batteryType`);
      if (batteryNo !== undefined && seenNo.has(batteryNo))
        c.fail(`${at}.batteryNo`, `repeats batteryInfo[${seenNo.get(batteryNo)}]: a pack can be listed once`);
      if (bmsNo !== undefined && seenBms.has(bmsNo))
        c.fail(`${at}.bmsNo`, `repeats batteryInfo[${seenBms.get(bmsNo)}]: a BMS number belongs to one pack`);
      if (batteryNo !== undefined) seenNo.set(batteryNo, i);
      if (bmsNo !== undefined) seenBms.set(bmsNo, i);
      if (batteryNo !== undefined && bmsNo !== undefined && batteryType !== undefined)
        items.push({ batteryNo, bmsNo, batteryType });
    });
  }
  c.done();
  return { ...(group !== undefined ? { batteryGroupNo: group } : {}), batteryInfo: items };
}

/**
 * Seed 000 §4/§6 body: any subset of the pack's fields. The path's own key may
 * be repeated in the body only with the same value. `vinCode: null` takes the
 * pack out of its vehicle; `bmsNo: null` (by battery number) detaches its BMS.
 */
export function packBody(body: unknown, key: 'bmsNo' | 'batteryNo', keyValue: string): PackPatch {
  const c = new Checker();
  const obj = c.object(body, 'body');
  c.done();
  c.only(obj!, ['batteryNo', 'bmsNo', 'batteryType', 'vinCode', 'batteryGroupNo']);
  const patch: PackPatch = {};
  const o = obj!;
  if (o[key] !== undefined && o[key] !== keyValue) c.fail(key, 'differs from the one in the path');
  if (key === 'bmsNo' && o.batteryNo !== undefined) patch.batteryNo = c.code(o.batteryNo, 'batteryNo');
  if (key === 'batteryNo' && o.bmsNo !== undefined) patch.bmsNo = o.bmsNo === null ? null : c.code(o.bmsNo, 'bmsNo');
  if (o.batteryType !== undefined) patch.batteryType = c.type(o.batteryType, 'batteryType');
  if (o.vinCode !== undefined) patch.vinCode = o.vinCode === null ? null : c.vin(o.vinCode, 'vinCode');
  if (o.batteryGroupNo !== undefined)
    patch.batteryGroupNo = o.batteryGroupNo === null ? null : c.code(o.batteryGroupNo, 'batteryGroupNo');
  c.done();
  return patch;
}
