import { SITE_PHASES, type SitePhase } from '../../../../contracts/load.ts';

/** One phase as the overview's gauge draws it, A. `allowed` null: distribution off, measured only. */
export interface GaugePhase {
  phase: SitePhase;
  limit: number;
  measured: number;
  allowed: number | null;
}

const COLOURS = { measured: '#1f6fd1', over: '#d13b3b', allowed: '#c98a00', ring: '#d5e2f0', overRing: '#f4c4c4' };

/** A scale common to the three gauges so they compare, a quarter above the largest figure, in steps of 8 A. */
export function gaugeMax(phases: GaugePhase[]): number {
  const top = Math.max(...phases.flatMap((p) => [p.limit, p.measured, p.allowed ?? 0]));
  return Math.max(16, Math.ceil((top * 1.25) / 8) * 8);
}

/**
 * The ECharts option of the three phase gauges (seed 004 §2.13, with load
 * management): the ring is light up to the phase limit and red beyond it,
 * the needle is the measured current (red when above the limit), and a
 * triangle on the ring marks the allowed sum, the second marker.
 */
export function phaseGaugeOption(phases: GaugePhase[], words: { phase: (p: SitePhase) => string; allowed: string }) {
  const max = gaugeMax(phases);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    // Live figures jump at most once a second; a sweep from zero on every redraw would only blur them.
    animation: false,
    series: phases.flatMap((p, i) => {
      const over = p.measured > p.limit;
      const limitAt = Math.min(1, Math.max(0, p.limit / max));
      const place = { center: [`${17 + i * 33}%`, '52%'], radius: '78%', min: 0, max };
      const measured = {
        type: 'gauge',
        ...place,
        splitNumber: 4,
        axisLine: {
          lineStyle: {
            width: 10,
            color: [
              [limitAt, COLOURS.ring],
              [1, COLOURS.overRing],
            ],
          },
        },
        axisTick: { distance: -10, length: 4, lineStyle: { color: '#8a96a3' } },
        splitLine: { distance: -10, length: 10, lineStyle: { color: '#8a96a3' } },
        axisLabel: { fontSize: 9, distance: 14, color: '#6b7785' },
        anchor: { show: true, showAbove: true, size: 8, itemStyle: { color: '#17212c' } },
        pointer: { width: 5, length: '62%', itemStyle: { color: over ? COLOURS.over : COLOURS.measured } },
        title: { offsetCenter: [0, '98%'], fontSize: 12 },
        detail: {
          offsetCenter: [0, '58%'],
          fontSize: 16,
          fontWeight: 600,
          color: over ? COLOURS.over : '#1d2733',
          formatter: '{value} A',
        },
        data: [{ value: round(p.measured), name: words.phase(p.phase) }],
      };
      if (p.allowed === null) return [measured];
      // The second marker: its own series over the first (a gauge's pointer shape is per series), no axis of its own.
      const allowed = {
        type: 'gauge',
        ...place,
        axisLine: { show: false },
        axisTick: { show: false },
        splitLine: { show: false },
        axisLabel: { show: false },
        anchor: { show: false },
        // A triangle just outside the ring, its tip on it: clear of the needle and of the scale's labels inside.
        pointer: {
          icon: 'path://M0,0 L10,0 L5,10 Z',
          width: 14,
          length: '13%',
          offsetCenter: [0, '-103%'],
          itemStyle: { color: COLOURS.allowed },
        },
        title: { show: false },
        detail: {
          offsetCenter: [0, '78%'],
          fontSize: 11,
          color: COLOURS.allowed,
          formatter: `${words.allowed} {value} A`,
        },
        data: [{ value: round(p.allowed), name: '' }],
      };
      return [measured, allowed];
    }),
  };
}

/** The three phases of a snapshot-like record, in site order. */
export function gaugePhases(
  site: Record<SitePhase, { limit: number; measured: number; allowed: number }>,
  withAllowed: boolean,
): GaugePhase[] {
  return SITE_PHASES.map((phase) => ({
    phase,
    limit: site[phase].limit,
    measured: site[phase].measured,
    allowed: withAllowed ? site[phase].allowed : null,
  }));
}
