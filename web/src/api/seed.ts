import { get, post } from './client.ts';
import type { BasicSettings } from '../../../contracts/settings.ts';
import type {
  ChargerDetails,
  ChargerListRow,
  ChargerSeries,
  ChargerStateRow,
  ChargerStatistic,
  MaxCurrents,
  RecentRecords,
  RecordFull,
  RecordSummary,
  Series,
  StateStatistic,
  TrendMode,
  TrendSeries,
} from './seed-types.ts';

/** Typed calls of the seed API (docs/PRODUCT.md §3), one per row. */
export const seedApi = {
  chargerDetails: (chargerId?: string) =>
    get<{ result: ChargerDetails }>('/api/charger/details/', { charger_id: chargerId }),
  recordList: (date: string, chargerId?: string) =>
    get<{ result: RecordSummary[] }>('/api/charging/record/list/', { date, charger_id: chargerId }),
  record: (id: number) => get<{ result: RecordFull }>(`/api/charging/record/${id}/`),
  settings: () => get<BasicSettings>('/api/basic/settings/'),
  saveSettings: (changes: Partial<BasicSettings>) => post<BasicSettings>('/api/basic/settings/', changes),
  statistic: () => get<ChargerStatistic>('/api/charger/info/statistic/'),
  recentRecords: (num?: number) => get<RecentRecords>('/api/recent/charging/record/list/', { num }),
  recentStates: () => get<{ result: ChargerStateRow[] }>('/api/recent/charger/state/list/'),
  stateStatistic: () => get<StateStatistic>('/api/charger/state/statistic/'),
  monthlyEnergy: (chargerId?: string) => get<Series>('/api/monthly/energy/', { charger_id: chargerId }),
  monthlyEnergyList: () => get<{ data: ChargerSeries[] }>('/api/monthly/energy/list/'),
  chargerIds: () => get<{ chargers: string[] }>('/api/charger/id/list/'),
  maxCurrents: () => get<MaxCurrents>('/api/max/current/list/'),
  chargerList: () => get<{ data: ChargerListRow[] }>('/api/charger/list/'),
  trend: (mode: TrendMode, offset: number, chargerId?: string) =>
    get<TrendSeries>('/bmw/chart/getAllRecentChargerRecords/', { mode, offset, charger_id: chargerId }),
  perCharger: (mode: TrendMode, offset: number) =>
    get<ChargerSeries[]>('/bmw/chart/getRecentChargerRecords/', { mode, offset }),
};
