import { useMemo } from 'react';
import { seedApi } from '../../api/seed.ts';
import { Chart } from '../../components/Chart.tsx';
import { Async, Card } from '../../components/States.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';
import { STATE_NAMES } from '../../i18n/states.ts';

/** Seed §2.9: share of chargers per state, as a pie of the non-zero categories. */
export function StatePie({ version }: { version: number }) {
  const { t, lang } = useI18n();
  const load = useLoad(() => seedApi.stateStatistic(), [version]);
  const slices = useMemo(
    () =>
      (load.data?.result ?? [])
        .flatMap((o) => Object.entries(o))
        .filter(([, v]) => v > 0)
        .map(([k, v]) => ({ name: STATE_NAMES[k]?.[lang] ?? k, value: v })),
    [load.data, lang],
  );
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'item', formatter: '{b}: {c}%' },
      legend: { bottom: 0, type: 'scroll' },
      series: [
        {
          type: 'pie',
          radius: ['35%', '65%'],
          center: ['50%', '45%'],
          data: slices,
          label: { formatter: '{b}\n{c}%' },
        },
      ],
    }),
    [slices],
  );
  return (
    <Card title={t('overview.networkState')}>
      <Async load={load} isEmpty={() => slices.length === 0}>
        {() => <Chart option={option} height={280} testId="state-pie" />}
      </Async>
    </Card>
  );
}
