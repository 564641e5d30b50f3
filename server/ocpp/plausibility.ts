/**
 * Values no site can have. Nothing a charger sent is thrown away: an
 * implausible timestamp is replaced by the receive time with the charger's
 * value kept beside it, and implausible meter readings flag the session so
 * its energy stays out of the totals until an operator confirms it.
 */

/**
 * No charger clock reads earlier than this unless it lost its time: real-time
 * clocks reset to 1970 or 2000, and OCPP 1.6 itself dates from 2015. Not the
 * charger's registration: a charger used offline (local authorization list)
 * before it was registered here, or moved from another central system,
 * delivers real sessions from before it (OCPP 1.6 §4.10, queued messages).
 */
export const EARLIEST_PLAUSIBLE = new Date('2010-01-01T00:00:00Z');

/**
 * The highest average power a session may show: 350 kW, the most any public
 * charger delivers (CCS high-power charging). The charger's rated current ×
 * 230 V × phases is not used: every charger starts with the default 32 A on
 * one phase, which DC chargers and sites that never set it exceed honestly.
 */
export const MAX_PLAUSIBLE_POWER_W = 350_000;

export type ClockReason = 'future' | 'before_2010';

export interface CheckedTime {
  /** The instant to count with. */
  at: Date;
  /** The charger's own value when it was replaced, else null. */
  chargerAt: Date | null;
  reason: ClockReason | null;
}

/**
 * A charger timestamp, or the receive time when it lies more than the allowed
 * skew in the future or before 2010. A past timestamp is normal: chargers
 * deliver queued transaction messages late (OCPP 1.6 §4.10, §4.7).
 */
export function checkTime(sent: Date, receivedAt: Date, maxSkewMs: number): CheckedTime {
  if (sent.getTime() > receivedAt.getTime() + maxSkewMs) return { at: receivedAt, chargerAt: sent, reason: 'future' };
  if (sent < EARLIEST_PLAUSIBLE) return { at: receivedAt, chargerAt: sent, reason: 'before_2010' };
  return { at: sent, chargerAt: null, reason: null };
}

/** Why a session's meter readings cannot be true, as stored in transactions.anomaly_reasons. */
export type MeterReason =
  | 'negative_meter_start'
  | 'negative_meter_stop'
  | 'meter_stop_below_start'
  | 'register_backwards'
  | 'energy_above_max_power';

/** StartTransaction.meterStart (Wh, OCPP 1.6 §4.8): an energy register never reads below zero. */
export function startReasons(meterStart: number): MeterReason[] {
  return meterStart < 0 ? ['negative_meter_start'] : [];
}

/**
 * StopTransaction.meterStop against the session (OCPP 1.6 §4.10): a register
 * that reads negative or went backwards, or more energy than 350 kW could
 * deliver in the session's duration plus the allowed clock skew (the charger
 * reads its meter and stamps its messages at slightly different moments, and
 * its clock may be off by that much). A stop before its start has no duration
 * to judge the energy by, so only the register checks apply.
 */
export function stopReasons(s: {
  meterStart: number;
  meterStop: number;
  startedAt: Date;
  stoppedAt: Date;
  maxSkewMs: number;
}): MeterReason[] {
  const out: MeterReason[] = [];
  if (s.meterStop < 0) out.push('negative_meter_stop');
  if (s.meterStop < s.meterStart) out.push('meter_stop_below_start');
  const ms = s.stoppedAt.getTime() - s.startedAt.getTime();
  const energy = s.meterStop - s.meterStart;
  if (ms >= 0 && energy > (MAX_PLAUSIBLE_POWER_W * (ms + s.maxSkewMs)) / 3_600_000) out.push('energy_above_max_power');
  return out;
}
