import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  gaugeMax,
  gaugePhases,
  phaseGaugeOption,
  type GaugePhase,
} from '../../web/src/pages/overview/phase-gauge-option.ts';

const words = { phase: (p: string) => `Phase ${p}`, allowed: 'Allowed' };
const site = {
  A: { limit: 24, allowed: 16, measured: 15 },
  B: { limit: 24, allowed: 24, measured: 22.5 },
  C: { limit: 24, allowed: 16, measured: 30.04 },
};
type Series = {
  data: { value: number; name: string }[];
  axisLine: { show?: boolean; lineStyle?: { color: [number, string][] } };
  pointer: { icon?: string; itemStyle: { color: string } };
};
const series = (phases: GaugePhase[]) => phaseGaugeOption(phases, words).series as unknown as Series[];

describe('the overview phase gauges (seed 004 §2.13 with load management)', () => {
  it('draws per phase the measured needle and, with distribution on, the allowed sum as a second series', () => {
    const s = series(gaugePhases(site, true));
    assert.deepEqual(
      s.map((x) => x.data[0]!.value),
      [15, 16, 22.5, 24, 30, 16],
    );
    assert.deepEqual(
      s.map((x) => x.data[0]!.name),
      ['Phase A', '', 'Phase B', '', 'Phase C', ''],
    );
    assert.equal(s[1]!.axisLine.show, false, 'the marker series draws no ring of its own');
    assert.match(s[1]!.pointer.icon!, /^path:\/\//);
  });

  it('shows the measured current only when distribution is off', () => {
    const s = series(gaugePhases(site, false));
    assert.deepEqual(
      s.map((x) => x.data[0]!.value),
      [15, 22.5, 30],
    );
  });

  it('marks the ring beyond the limit and turns a needle above it red, on one scale for the three', () => {
    const phases = gaugePhases(site, true);
    assert.equal(gaugeMax(phases), 40, 'a quarter above the largest figure (30.04 A), in steps of 8 A');
    const s = series(phases);
    assert.deepEqual(
      s[0]!.axisLine.lineStyle!.color.map(([at]) => at),
      [0.6, 1],
      'light up to 24 A of 40, red beyond',
    );
    assert.notEqual(
      s[0]!.pointer.itemStyle.color,
      s[4]!.pointer.itemStyle.color,
      'phase C (30 A of 24) is drawn in the alarm colour',
    );
    assert.equal(s[2]!.pointer.itemStyle.color, s[0]!.pointer.itemStyle.color, 'phase B at 22.5 A of 24 is not');
  });

  it('keeps a readable scale on an idle site', () => {
    assert.equal(
      gaugeMax(
        gaugePhases(
          {
            A: { limit: 0, allowed: 0, measured: 0 },
            B: { limit: 0, allowed: 0, measured: 0 },
            C: { limit: 0, allowed: 0, measured: 0 },
          },
          true,
        ),
      ),
      16,
    );
  });
});
