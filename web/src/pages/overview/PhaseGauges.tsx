import { useMemo } from 'react';
import { seedApi } from '../../api/seed.ts';
import { Chart } from '../../components/Chart.tsx';
import { Async, Card } from '../../components/States.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';

/** Seed §2.13: the three phase-current limits from the settings, one gauge each. */
export function PhaseGauges({ version }: { version: number }) {
  const { t } = useI18n();
  const load = useLoad(() => seedApi.maxCurrents(), [version]);
  const option = useMemo(() => {
    const d = load.data;
    if (!d) return {};
    const values = [d.int_max_current_a, d.int_max_current_b, d.int_max_current_c];
    // A common scale so the three are comparable, in steps of 16 A so the ticks read cleanly; at least 64 A.
    const max = Math.max(64, Math.ceil((Math.max(...values) * 1.25) / 16) * 16);
    return {
      series: values.map((v, i) => ({
        type: 'gauge',
        center: [`${17 + i * 33}%`, '55%'],
        radius: '80%',
        min: 0,
        max,
        splitNumber: 4,
        axisLabel: { fontSize: 9, distance: 12 },
        axisLine: { lineStyle: { width: 8 } },
        pointer: { width: 4 },
        detail: { formatter: '{value} A', fontSize: 14, offsetCenter: [0, '70%'] },
        title: { offsetCenter: [0, '95%'], fontSize: 12 },
        data: [{ value: v, name: t('overview.phase', { p: 'ABC'[i]! }) }],
      })),
    };
  }, [load.data, t]);
  return (
    <Card title={t('overview.phaseCurrent')} className="span-2">
      <Async load={load}>{() => <Chart option={option} height={280} testId="phase-gauges" />}</Async>
    </Card>
  );
}
