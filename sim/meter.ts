import { powerW } from './ev-model.ts';

/**
 * One MeterValue (OCPP 1.6 §7.31 SampledValue): the energy register, the
 * current per phase the charger is wired for, the active power, and the
 * car's state of charge when it reports one. Values are strings (§7.31).
 */
export function meterSample(registerWh: number, amps: readonly number[], phases: 1 | 3, at: Date, context: string, socPercent?: number) {
  const sampledValue: Record<string, string>[] = [
    { value: String(registerWh), context, measurand: 'Energy.Active.Import.Register', location: 'Outlet', unit: 'Wh' },
  ];
  const names = ['L1', 'L2', 'L3'] as const;
  for (let i = 0; i < phases; i++) {
    sampledValue.push({ value: (amps[i] ?? 0).toFixed(1), context, measurand: 'Current.Import', phase: names[i]!, location: 'Outlet', unit: 'A' });
  }
  sampledValue.push({ value: String(powerW(amps)), context, measurand: 'Power.Active.Import', location: 'Outlet', unit: 'W' });
  if (socPercent !== undefined) sampledValue.push({ value: String(Math.floor(socPercent)), context, measurand: 'SoC', location: 'EV', unit: 'Percent' });
  return { timestamp: at.toISOString(), sampledValue };
}
