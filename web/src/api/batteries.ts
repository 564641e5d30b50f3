import { ApiError, get, post } from './client.ts';

/** Battery registry (seed 000, docs/PRODUCT.md §4): `{code, msg, data}` envelope, code "1000" on success. */
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

/** One registry change (db/repositories/batteries.ts history): who, when, before, after. */
export interface HistoryEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  vinCode: string | null;
  batteryNo: string | null;
  before: unknown;
  after: unknown;
}

/** The registry's paged lists (GET /api/batteries/*): one page of items and the total. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
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
  movePack: (
    batteryNo: string,
    body: { vinCode?: string; bmsNo?: string; batteryType?: number; batteryGroupNo?: string },
  ) => unwrap(post<Envelope<null>>(`/batteryInfo/updateBatteryInfoBybatteryNo/${enc(batteryNo)}`, body)),
  history: (q: { vin?: string | undefined; batteryNo?: string | undefined }) =>
    get<Page<HistoryEntry>>('/api/batteries/history', q),
};

/** One vehicle in the registry browser (GET /api/batteries/vehicles; times in epoch ms). */
export interface VehicleRow {
  vinCode: string;
  batteryGroupNo: string | null;
  packs: number;
  createTime: number;
  updatedAt: number;
}

export const registryApi = {
  vehicles: (q: string, page: number) => get<Page<VehicleRow>>('/api/batteries/vehicles', { q, page }),
};
