import { useMemo, useState } from 'react';
import { seedApi } from '../../api/seed.ts';
import type { TrendMode } from '../../api/seed-types.ts';
import { Chart } from '../../components/Chart.tsx';
import { ChargerSelect } from '../../components/ChargerSelect.tsx';
import { Async, Card } from '../../components/States.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';

/** How many periods each mode shows (seed §3.1 `offset`). */
export const OFFSETS: Record<TrendMode, number> = { 1: 5, 2: 12, 3: 30 };

export function ModeSwitch({ mode, onChange }: { mode: TrendMode; onChange: (m: TrendMode) => void }) {
  const { t } = useI18n();
  return (
    <div className="segmented" role="group">
      {([1, 2, 3] as const).map((m) => (
        <button key={m} type="button" className={m === mode ? 'on' : ''} onClick={() => onChange(m)}>
          {t(`mode.${m}`)}
        </button>
      ))}
    </div>
  );
}

/** Seed §3.1: energy of the last N years/months/days, all chargers or one. */
export function EnergyTrend({ version }: { version: number }) {
  const { t, num } = useI18n();
  const [mode, setMode] = useState<TrendMode>(2);
  const [charger, setCharger] = useState('');
  const load = useLoad(() => seedApi.trend(mode, OFFSETS[mode], charger || undefined), [mode, charger, version]);
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      grid: { left: 50, right: 20, top: 20, bottom: 30 },
      xAxis: { type: 'category', data: load.data?.x ?? [] },
      yAxis: { type: 'value', name: 'kWh' },
      series: [{ type: 'bar', data: load.data?.y ?? [], itemStyle: { color: '#2f7de1' } }],
    }),
    [load.data],
  );
  return (
    <Card
      title={t('overview.energyTrend')}
      extra={
        <>
          {load.data ? (
            <span className="muted">{t('overview.periodTotal', { value: num(load.data.total, 2) })}</span>
          ) : null}
          <ChargerSelect value={charger} onChange={setCharger} allLabel={t('overview.allChargers')} />
          <ModeSwitch mode={mode} onChange={setMode} />
        </>
      }
    >
      <Async load={load}>{() => <Chart option={option} testId="energy-trend" />}</Async>
    </Card>
  );
}
