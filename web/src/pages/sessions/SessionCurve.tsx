import { useMemo } from 'react';
import { Chart } from '../../components/Chart.tsx';
import { useI18n } from '../../i18n/context.tsx';
import type { Curve, Point } from './curve.ts';

/**
 * A session's charging curve on a time axis: power (kW) and energy (kWh) on
 * their own axes, current per phase (A) on the amperes axis with the load
 * controller's allowance as a step line, SoC (%) when the car reported it.
 */
export function SessionCurve({ curve, allowance }: { curve: Curve; allowance: Point[] }) {
  const { t, lang } = useI18n();
  const phases = Object.keys(curve.current).sort();
  const hasSoc = curve.socPercent.length > 0;
  const option = useMemo(() => {
    const line = (name: string, data: Point[], yAxisIndex: number, extra: object = {}) => ({
      name,
      type: 'line',
      showSymbol: false,
      yAxisIndex,
      data,
      ...extra,
    });
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: hasSoc ? 100 : 55, right: 110, top: 40, bottom: 30 },
      xAxis: {
        type: 'time',
        axisLabel: { hideOverlap: true },
        axisPointer: {
          label: {
            formatter: (p: { value: number }) => new Date(p.value).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-GB'),
          },
        },
      },
      yAxis: [
        { type: 'value', name: 'kW', position: 'left' },
        { type: 'value', name: 'A', position: 'right' },
        { type: 'value', name: 'kWh', position: 'right', offset: 55 },
        ...(hasSoc ? [{ type: 'value', name: '%', position: 'left', offset: 50, min: 0, max: 100 }] : []),
      ],
      series: [
        line(t('sessions.power'), curve.powerKw, 0),
        ...phases.map((p) => line(t('sessions.currentPhase', { phase: p }), curve.current[p]!, 1)),
        ...(allowance.length
          ? [line(t('sessions.allowance'), allowance, 1, { step: 'end', lineStyle: { type: 'dashed' } })]
          : []),
        line(t('sessions.energyKwh'), curve.energyKwh, 2),
        ...(hasSoc ? [line(t('sessions.soc'), curve.socPercent, 3)] : []),
      ],
    };
  }, [curve, allowance, phases.join(), hasSoc, t, lang]);
  const last = curve.powerKw[curve.powerKw.length - 1];
  return (
    <div
      data-testid="session-curve"
      data-power-points={curve.powerKw.length}
      data-energy-points={curve.energyKwh.length}
      data-phases={phases.join(',')}
      data-soc-points={curve.socPercent.length}
      data-allowance={JSON.stringify(allowance.map((p) => p[1]))}
      data-last-power={last ? JSON.stringify(last) : undefined}
    >
      <Chart option={option} height={360} testId="session-chart" label={t('sessions.curve')} />
    </div>
  );
}
