import { powerW } from './ev-model.ts';

export interface MeterReading {
  /** Energy.Active.Import.Register, Wh. */
  registerWh: number;
  /** The draw on L1, L2, L3, A. */
  amps: readonly number[];
  /** What the charger offers the car now (the pilot), A; 0 while it suspends. */
  offeredA: number;
  /** The charger's own phases: Current.Import is reported on each of them. */
  phases: 1 | 3;
  at: Date;
  context: string;
  socPercent?: number | undefined;
}

/**
 * One MeterValue (OCPP 1.6 §7.31 SampledValue): the energy register, the
 * current per phase the charger is wired for (a phase the car leaves idle
 * reads 0), the current offered, the active power, and the car's state of
 * charge when it reports one. Values are strings (§7.31).
 */
export function meterSample(r: MeterReading) {
  const { context } = r;
  const sampledValue: Record<string, string>[] = [
    {
      value: String(r.registerWh),
      context,
      measurand: 'Energy.Active.Import.Register',
      location: 'Outlet',
      unit: 'Wh',
    },
  ];
  const names = ['L1', 'L2', 'L3'] as const;
  for (let i = 0; i < r.phases; i++) {
    sampledValue.push({
      value: (r.amps[i] ?? 0).toFixed(1),
      context,
      measurand: 'Current.Import',
      phase: names[i]!,
      location: 'Outlet',
      unit: 'A',
    });
  }
  sampledValue.push({
    value: r.offeredA.toFixed(1),
    context,
    measurand: 'Current.Offered',
    location: 'Outlet',
    unit: 'A',
  });
  sampledValue.push({
    value: String(powerW(r.amps)),
    context,
    measurand: 'Power.Active.Import',
    location: 'Outlet',
    unit: 'W',
  });
  if (r.socPercent !== undefined)
    sampledValue.push({
      value: String(Math.floor(r.socPercent)),
      context,
      measurand: 'SoC',
      location: 'EV',
      unit: 'Percent',
    });
  return { timestamp: r.at.toISOString(), sampledValue };
}
