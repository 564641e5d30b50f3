import type { SessionAlert } from '../../db/repositories/transactions.ts';
import { METER_ALERT } from '../../db/repositories/transactions.ts';
import type { CheckedTime, MeterReason } from './plausibility.ts';

/** Kind of the alert raised when a charger timestamp was replaced or a stop came before its start. */
export const CLOCK_ALERT = 'clock_skew';

const METER_TEXT: Record<MeterReason, string> = {
  negative_meter_start: 'meterStart is negative',
  negative_meter_stop: 'meterStop is negative',
  meter_stop_below_start: 'meterStop is below meterStart',
  register_backwards: 'the energy register went backwards during the session',
  energy_above_max_power: 'the energy is more than 350 kW could deliver in the session',
};

/** One alert per reason (keyed by it): the session's energy is held until an operator decides. */
export function meterAlerts(reasons: readonly string[], at: Date, details: Record<string, unknown>): SessionAlert[] {
  return reasons.map((reason) => ({
    key: `meter:${reason}`,
    at,
    kind: METER_ALERT,
    severity: 'critical',
    message: `Implausible meter reading: ${METER_TEXT[reason as MeterReason] ?? reason}; the session's energy is kept out of the totals until an operator confirms it`,
    details: { reason, ...details },
  }));
}

/** The charger's timestamp for a session's start or stop was replaced by the receive time. */
export function clockAlerts(field: 'start' | 'stop', time: CheckedTime, receivedAt: Date): SessionAlert[] {
  if (!time.chargerAt) return [];
  const why = time.reason === 'future' ? 'lies in the future' : 'is before 2010';
  return [
    {
      key: `clock:${field}`,
      at: receivedAt,
      kind: CLOCK_ALERT,
      severity: 'warning',
      message: `The charger's ${field} time ${time.chargerAt.toISOString()} ${why}; the receive time was stored instead`,
      details: {
        field,
        reason: time.reason,
        chargerTime: time.chargerAt.toISOString(),
        receivedAt: receivedAt.toISOString(),
      },
    },
  ];
}

/** A stop stamped before its start: the session counts zero minutes. */
export function stopBeforeStartAlert(startedAt: Date, stoppedAt: Date, receivedAt: Date): SessionAlert[] {
  if (stoppedAt >= startedAt) return [];
  return [
    {
      key: 'clock:stop_before_start',
      at: receivedAt,
      kind: CLOCK_ALERT,
      severity: 'warning',
      message: `The session stopped (${stoppedAt.toISOString()}) before it started (${startedAt.toISOString()}); it counts zero minutes`,
      details: { reason: 'stop_before_start', startedAt: startedAt.toISOString(), stoppedAt: stoppedAt.toISOString() },
    },
  ];
}
