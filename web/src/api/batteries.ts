import { ApiError, get, post } from './client.ts';

/** Battery registry (seed 000, SPEC §4): `{code, msg, data}` envelope, code "1000" on success. */
export interface Envelope<T> {
  code: string;
  msg: string | null;
  data: T;
}

export interface PackInVehicle {
  batteryNo: string;
  bmsNo: string;
  batteryType: number;
}

export interface VehicleInfo {
  vinCode: string;
  batteryGroupNo: string | null;
  batteryInfo: PackInVehicle[];
  createTime: number;
}

export interface PackInfo {
  batteryNo: string;
  bmsNo: string | null;
  batteryType: number | null;
  vinCode: string | null;
  batteryGroupNo: string | null;
}

export interface HistoryEntry {
  id?: number;
  at: string | number;
  actor: string;
  action: string;
  vin?: string | null;
  batteryNo?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Unwraps the envelope; a non-1000 code becomes an ApiError with the registry's message. */
async function unwrap<T>(p: Promise<Envelope<T>>): Promise<T> {
  const env = await p;
  if (env.code !== '1000') throw new ApiError(400, env.code, env.msg ?? env.code);
  return env.data;
}

const enc = encodeURIComponent;

export const batteryApi = {
  byVin: (vin: string) => unwrap(get<Envelope<VehicleInfo>>(`/batteryInfo/getBatteryInfoEsbpByVin/${enc(vin)}`)),
  byBmsNo: (bmsNo: string) => unwrap(get<Envelope<PackInfo>>(`/batteryInfo/getBatteryInfoEsbpBmsNo/${enc(bmsNo)}`)),
  byBatteryNo: (no: string) => unwrap(get<Envelope<PackInfo>>(`/batteryInfo/getBatteryInfoEsbpByBatteryNo/${enc(no)}`)),
  saveVehicle: (vin: string, body: { batteryGroupNo: string; batteryInfo: PackInVehicle[] }) =>
    unwrap(post<Envelope<null>>(`/batteryInfo/updateBatteryInfoByVinCode/${enc(vin)}`, body)),
  movePack: (batteryNo: string, body: { vinCode?: string; bmsNo?: string; batteryType?: number; batteryGroupNo?: string }) =>
    unwrap(post<Envelope<null>>(`/batteryInfo/updateBatteryInfoBybatteryNo/${enc(batteryNo)}`, body)),
  history: async (q: { vin?: string; batteryNo?: string }) => {
    const v = await get<HistoryEntry[] | { data: HistoryEntry[] }>('/api/batteries/history', q);
    return Array.isArray(v) ? v : v.data;
  },
};

/** One vehicle in the registry browser (GET /api/batteries/vehicles). */
export interface VehicleRow {
  vin?: string;
  vinCode?: string;
  batteryGroupNo?: string | null;
  packCount?: number;
  batteryInfo?: unknown[];
  updatedAt?: string | number;
}

export interface Paged<T> {
  rows: T[];
  total?: number;
}

/** Accepts a bare array or a page object (`items`/`data`/`rows`, `total`), whichever the registry answers. */
function paged<T>(v: T[] | { items?: T[]; data?: T[]; rows?: T[]; total?: number }): Paged<T> {
  if (Array.isArray(v)) return { rows: v };
  return { rows: v.items ?? v.data ?? v.rows ?? [], total: v.total };
}

export const registryApi = {
  vehicles: async (q: string, page: number) => paged(await get<VehicleRow[] | { items?: VehicleRow[]; total?: number }>('/api/batteries/vehicles', { q, page })),
};
