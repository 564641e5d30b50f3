/** What the bench loads: every seed read endpoint (docs/PRODUCT.md §3) and the transactions list, with its p99 target in ms. */
export interface Endpoint {
  name: string;
  path: string;
  targetP99Ms: number | null;
  /** Concurrent connections, when not BENCH_CONNECTIONS (a heavy answer loaded by one viewer at a time). */
  connections?: number;
}

export function endpoints(chargerId: string, day: string): Endpoint[] {
  const seed = (name: string, path: string, target: number | null = 50): Endpoint => ({
    name,
    path,
    targetP99Ms: target,
  });
  return [
    seed('2.1 details (most recent)', '/api/charger/details/', null),
    seed('2.1 details (charger)', `/api/charger/details/?charger_id=${chargerId}`, null),
    seed('2.2 records of a day', `/api/charging/record/list/?date=${day}`, null),
    seed('2.2 one record', '/api/charging/record/500000/', null),
    seed('2.6 statistic', '/api/charger/info/statistic/'),
    seed('2.7 recent records', '/api/recent/charging/record/list/'),
    seed('2.8 charger states', '/api/recent/charger/state/list/'),
    seed('2.9 state share', '/api/charger/state/statistic/'),
    seed('2.10 monthly energy', '/api/monthly/energy/'),
    seed('2.10 monthly energy (charger)', `/api/monthly/energy/?charger_id=${chargerId}`),
    seed('2.11 monthly energy list', '/api/monthly/energy/list/'),
    seed('2.12 charger ids', '/api/charger/id/list/'),
    seed('2.13 max current', '/api/max/current/list/'),
    seed('2.14 charger list', '/api/charger/list/'),
    seed('3.1 yearly x5', '/bmw/chart/getAllRecentChargerRecords/?mode=1&offset=5', 100),
    seed('3.1 monthly x12', '/bmw/chart/getAllRecentChargerRecords/?mode=2&offset=12', 100),
    seed('3.1 daily x30', '/bmw/chart/getAllRecentChargerRecords/?mode=3&offset=30', 100),
    seed('3.1 daily x366', '/bmw/chart/getAllRecentChargerRecords/?mode=3&offset=366', 100),
    seed('3.2 monthly x12', '/bmw/chart/getRecentChargerRecords/?mode=2&offset=12', 100),
    seed('3.2 daily x30', '/bmw/chart/getRecentChargerRecords/?mode=3&offset=30', 100),
    seed('transactions page', '/api/transactions?page=100&pageSize=50', null),
  ];
}
