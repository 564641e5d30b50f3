import { useCallback, useEffect, useMemo, useState } from 'react';
import { Chart } from '../../components/Chart.tsx';
import { useI18n } from '../../i18n/context.tsx';
import { LiveBadge } from '../../live/LiveBadge.tsx';
import { meterPoint, type MeterPoint } from '../../live/meter.ts';
import type { LiveMessage } from '../../live/live-types.ts';
import { useFeed, type LiveFeed } from '../../live/use-live-feed.ts';
import { runningSessionPoints } from './seed-samples.ts';

const KEEP = 240; // points kept per chart (at one sample a minute, four hours)

/**
 * Seed §2.3: current, power and energy of the selected charger as they arrive on the page's live feed (opened for
 * that charger), after its running session's stored samples (GET /api/transactions/<id>/meter-values).
 */
export function LiveMeterChart({
  chargerId,
  feed,
  onStateChange,
}: {
  chargerId: string;
  feed: LiveFeed;
  onStateChange?: () => void;
}) {
  const { t, lang } = useI18n();
  const [points, setPoints] = useState<MeterPoint[]>([]);
  // Seeded with the running session's stored samples, so the chart never opens empty; live points
  // that arrived meanwhile stay after them.
  useEffect(() => {
    setPoints([]);
    if (!chargerId) return;
    let gone = false;
    runningSessionPoints(chargerId, KEEP).then(
      (stored) => {
        if (gone) return;
        setPoints((live) => [...stored.filter((p) => p.at < (live[0]?.at ?? Infinity)), ...live].slice(-KEEP));
      },
      () => undefined, // the live feed still draws; the seed is a head start, not a requirement
    );
    return () => {
      gone = true;
    };
  }, [chargerId]);
  const onMessage = useCallback(
    (m: LiveMessage) => {
      if (!('chargerId' in m) || (chargerId && m.chargerId !== chargerId)) return;
      const p = meterPoint(m);
      if (p) setPoints((old) => [...old.slice(-(KEEP - 1)), p]);
      else if (m.type !== 'meter' && m.type !== 'command') onStateChange?.();
    },
    [chargerId, onStateChange],
  );
  useFeed(feed, onMessage);
  const live = feed.state;
  const option = useMemo(() => {
    const fmt = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { timeStyle: 'medium' });
    const series = (name: string, pick: (p: MeterPoint) => number | undefined, yAxisIndex: number) => ({
      name,
      type: 'line',
      showSymbol: false,
      yAxisIndex,
      data: points.map((p) => pick(p) ?? null),
      connectNulls: true,
    });
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 45, right: 45, top: 30, bottom: 25 },
      xAxis: { type: 'category', data: points.map((p) => fmt.format(p.at)) },
      yAxis: [
        { type: 'value', name: 'A / kW' },
        { type: 'value', name: 'kWh' },
      ],
      series: [
        series(t('details.current'), (p) => p.current, 0),
        series(t('details.power'), (p) => p.powerKw, 0),
        series(t('details.energyWh'), (p) => p.energyKwh, 1),
      ],
    };
  }, [points, t, lang]);
  return (
    <div
      data-testid="live-chart"
      data-points={points.length}
      data-last={points.length ? JSON.stringify(points[points.length - 1]) : undefined}
    >
      <div className="row-between">
        <LiveBadge state={live} />
        {points.length === 0 ? <span className="muted">{t('details.waitingLive')}</span> : null}
      </div>
      <Chart option={option} height={240} testId="live-meter" />
    </div>
  );
}
