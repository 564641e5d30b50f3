import { NOMINAL_VOLTAGE, type ChargingProfiles, type SchedulePeriod, type TxRef } from './charging-profiles.ts';

/**
 * GetCompositeSchedule (OCPP 1.6 §5.7): the limit sampled every minute over
 * `durationS`, merged into periods; where no profile limits, the charger's
 * own maximum.
 */
export function compositeSchedule(
  profiles: ChargingProfiles,
  connectorId: number,
  from: Date,
  durationS: number,
  tx: TxRef | undefined,
  phases: number,
  maxAmps: number,
  unit: 'A' | 'W',
) {
  const periods: SchedulePeriod[] = [];
  const step = 60;
  for (let s = 0; s < durationS; s += step) {
    const amps = Math.min(maxAmps, profiles.limitAmps(connectorId, new Date(from.getTime() + s * 1000), tx, phases));
    const limit = unit === 'A' ? round1(amps) : Math.round(amps * NOMINAL_VOLTAGE * phases);
    if (periods.at(-1)?.limit !== limit) periods.push({ startPeriod: s, limit, numberPhases: phases });
  }
  return {
    duration: durationS,
    startSchedule: from.toISOString(),
    chargingRateUnit: unit,
    chargingSchedulePeriod: periods,
  };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
