import { useMemo, useState } from 'react';
import { seedApi } from '../../api/seed.ts';
import type { ChargerSeries, Series } from '../../api/seed-types.ts';
import { Chart } from '../../components/Chart.tsx';
import { Async, Card } from '../../components/States.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';

type View = 'total' | 'per';
type Data = { kind: 'total'; s: Series } | { kind: 'per'; list: ChargerSeries[] };

/**
 * Seed §2.10 / §2.11: the radio between total monthly energy (last six months,
 * the seed answers newest first, drawn oldest first) and each charger's
 * months of the current year.
 */
export function EnergyCompare({ version }: { version: number }) {
  const { t } = useI18n();
  const [view, setView] = useState<View>('total');
  const load = useLoad<Data>(
    async () =>
      view === 'total'
        ? { kind: 'total', s: await seedApi.monthlyEnergy() }
        : { kind: 'per', list: (await seedApi.monthlyEnergyList()).data },
    [view, version],
  );
  const option = useMemo(() => {
    const d = load.data;
    if (!d) return {};
    if (d.kind === 'total') {
      return {
        tooltip: { trigger: 'axis' },
        grid: { left: 50, right: 20, top: 20, bottom: 30 },
        xAxis: { type: 'category', data: [...d.s.x].reverse() },
        yAxis: { type: 'value', name: 'kWh' },
        series: [{ type: 'line', smooth: true, areaStyle: { opacity: 0.15 }, data: [...d.s.y].reverse() }],
      };
    }
    return {
      tooltip: { trigger: 'axis' },
      legend: { type: 'scroll', bottom: 0 },
      grid: { left: 50, right: 20, top: 20, bottom: 50 },
      xAxis: { type: 'category', data: d.list[0]?.x ?? [] },
      yAxis: { type: 'value', name: 'kWh' },
      series: d.list.map((c) => ({ type: 'bar', stack: 'e', name: c.charger_id, data: c.y })),
    };
  }, [load.data]);
  return (
    <Card
      title={t('overview.energyCompare')}
      extra={
        <div className="radios" role="radiogroup">
          {(['total', 'per'] as const).map((v) => (
            <label key={v}>
              <input type="radio" name="energy-view" checked={view === v} onChange={() => setView(v)} />{' '}
              {t(v === 'total' ? 'overview.total' : 'overview.perCharger')}
            </label>
          ))}
        </div>
      }
    >
      <Async load={load} isEmpty={(d) => d.kind === 'per' && d.list.length === 0}>
        {() => <Chart option={option} testId="energy-compare" />}
      </Async>
    </Card>
  );
}
