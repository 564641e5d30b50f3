import { parse } from 'csv-parse/sync';
import type { ImportVehicle } from '../../db/repositories/batteries.ts';
import { AppError, isAppError } from '../errors.ts';
import { Checker, vehicleBody } from './input.ts';

export const MAX_IMPORT_VEHICLES = 20_000;
export const CSV_COLUMNS = ['vinCode', 'batteryGroupNo', 'batteryNo', 'bmsNo', 'batteryType'] as const;

export interface ParsedImport {
  vehicles: ImportVehicle[];
  /** Refused before the database saw them: bad fields, or a pack listed in two places of the file. */
  refused: { ref: string; vinCode: string; reason: string }[];
}

interface RawVehicle {
  ref: string;
  vinCode: unknown;
  body: Record<string, unknown>;
}

/**
 * An old registry export: a JSON array of seed 000 §1 vehicles
 * (`{vinCode, batteryGroupNo, batteryInfo, createTime?}`), or CSV with one pack per
 * line (`vinCode,batteryGroupNo,batteryNo,bmsNo,batteryType`; a line with
 * the pack columns empty is a vehicle without packs).
 */
export function parseImport(body: unknown, contentType: string): ParsedImport {
  const raws = contentType.startsWith('text/csv') ? fromCsv(String(body ?? '')) : fromJson(body);
  if (raws.length > MAX_IMPORT_VEHICLES)
    throw new AppError('VALIDATION_FAILED', `An import may hold at most ${MAX_IMPORT_VEHICLES} vehicles`);
  return check(raws);
}

function fromJson(body: unknown): RawVehicle[] {
  if (!Array.isArray(body))
    throw new AppError(
      'VALIDATION_FAILED',
      'body must be a JSON array of vehicles {vinCode, batteryGroupNo, batteryInfo}',
      { body: 'must be an array' },
    );
  return body.map((v, i) => {
    const o = v !== null && typeof v === 'object' && !Array.isArray(v) ? { ...(v as Record<string, unknown>) } : {};
    const vinCode = o.vinCode;
    delete o.vinCode;
    delete o.createTime; // the export's own timestamp; ours is the import's
    return { ref: `[${i}]`, vinCode, body: o };
  });
}

function fromCsv(text: string): RawVehicle[] {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
  } catch (err) {
    throw new AppError('VALIDATION_FAILED', `The CSV cannot be read: ${(err as Error).message}`, {
      body: 'is not valid CSV',
    });
  }
  const header = rows.length ? Object.keys(rows[0]!) : [];
  const missing = CSV_COLUMNS.filter((c) => !header.includes(c));
  if (rows.length && missing.length)
    throw new AppError('VALIDATION_FAILED', `The CSV header lacks ${missing.join(', ')}`, {
      body: `needs the columns ${CSV_COLUMNS.join(',')}`,
    });
  const byVin = new Map<string, { lines: number[]; groups: Set<string>; packs: unknown[] }>();
  rows.forEach((r, i) => {
    const vin = (r.vinCode ?? '').toUpperCase();
    const v = byVin.get(vin) ?? { lines: [], groups: new Set<string>(), packs: [] };
    byVin.set(vin, v);
    v.lines.push(i + 2); // line 1 is the header
    v.groups.add(r.batteryGroupNo ?? '');
    if (r.batteryNo || r.bmsNo || r.batteryType) {
      const t = r.batteryType ?? '';
      v.packs.push({ batteryNo: r.batteryNo, bmsNo: r.bmsNo, batteryType: /^\d+$/.test(t) ? Number(t) : t });
    }
  });
  return [...byVin].map(([vin, v]) => {
    const ref = `line ${v.lines.join(', ')}`;
    const groups = [...v.groups];
    const body: Record<string, unknown> = {
      batteryInfo: v.packs,
      batteryGroupNo: groups.length === 1 ? groups[0] || null : groups,
    };
    return { ref, vinCode: vin, body };
  });
}

function check(raws: RawVehicle[]): ParsedImport {
  const out: ParsedImport = { vehicles: [], refused: [] };
  const seenVin = new Map<string, string>();
  const seenNo = new Map<string, string>();
  const seenBms = new Map<string, string>();
  for (const r of raws) {
    const vinShown = typeof r.vinCode === 'string' ? r.vinCode : String(r.vinCode);
    try {
      const c = new Checker();
      const vin = c.vin(r.vinCode, 'vinCode');
      if (Array.isArray(r.body.batteryGroupNo))
        c.fail('batteryGroupNo', `differs between the vehicle's lines (${r.body.batteryGroupNo.join(', ')})`);
      c.done();
      const input = vehicleBody(r.body, vin!);
      const dup =
        (seenVin.has(vin!) && `vinCode is also at ${seenVin.get(vin!)}`) ||
        input.batteryInfo
          .map(
            (p) =>
              (seenNo.has(p.batteryNo) && `batteryNo ${p.batteryNo} is also listed at ${seenNo.get(p.batteryNo)}`) ||
              (seenBms.has(p.bmsNo) && `bmsNo ${p.bmsNo} is also listed at ${seenBms.get(p.bmsNo)}`),
          )
          .find(Boolean);
      if (dup) throw new AppError('CONFLICT', dup);
      seenVin.set(vin!, r.ref);
      for (const p of input.batteryInfo) {
        seenNo.set(p.batteryNo, r.ref);
        seenBms.set(p.bmsNo, r.ref);
      }
      out.vehicles.push({ vin: vin!, input, ref: r.ref });
    } catch (err) {
      if (!isAppError(err)) throw err;
      out.refused.push({ ref: r.ref, vinCode: vinShown, reason: err.message });
    }
  }
  return out;
}
