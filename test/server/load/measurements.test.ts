import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Measurements, sitePhaseCurrents } from '../../../server/load/measurements.ts';

describe('measured currents per site phase', () => {
  const current = (value: number, phase?: string, unit = 'A') => ({ measurand: 'Current.Import', phase, unit, value });

  it('maps L1, L2, L3 onto the site phases of the rotation', () => {
    assert.deepEqual(
      sitePhaseCurrents([current(10, 'L1'), current(11, 'L2'), current(12, 'L3')], 'BCA', ['B', 'C', 'A']),
      { B: 10, C: 11, A: 12 },
    );
    assert.deepEqual(sitePhaseCurrents([current(10, 'L1-N'), current(3, 'N')], 'CAB', ['C']), { C: 10 });
  });

  it('a reading without phase is L1 on a single-phase charger and every loaded phase on a multi-phase one', () => {
    assert.deepEqual(sitePhaseCurrents([current(9)], 'BAC', ['B']), { B: 9 });
    assert.deepEqual(sitePhaseCurrents([current(9)], 'ABC', ['A', 'B']), { A: 9, B: 9 });
  });

  it('ignores other measurands, other units, lines not loaded, and answers undefined without a current', () => {
    const values = [
      { measurand: 'Power.Active.Import', unit: 'W', value: 2300 },
      current(5, 'L2'),
      current(5000, 'L1', 'mA'),
    ];
    assert.equal(sitePhaseCurrents(values, 'ABC', ['A']), undefined);
    assert.deepEqual(sitePhaseCurrents([current(-0.2, 'L1')], 'ABC', ['A']), { A: 0 });
  });

  it('keeps the latest per session and forgets a session that closed', () => {
    const m = new Measurements();
    m.record('CP1/1', { transactionId: 1, at: 1, current: { A: 10, B: 10 } });
    m.record('CP1/1', { transactionId: 1, at: 2, current: { A: 8 } });
    assert.deepEqual(m.get('CP1/1', 1)?.current, { A: 8, B: 10 });
    assert.equal(m.get('CP1/1', 2), undefined);
    m.record('CP1/1', { transactionId: 2, at: 3, current: { A: 4 } });
    assert.deepEqual(m.get('CP1/1', 2)?.current, { A: 4 });
    m.retain(new Set());
    assert.equal(m.get('CP1/1', 2), undefined);
  });
});
