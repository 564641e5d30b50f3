import type { ChargingProfile, SchedulePeriod } from './charging-profiles.ts';

/** A profile as the charger keeps it: where it was set and when (the start of an Absolute schedule without startSchedule). */
export interface Installed {
  connectorId: number;
  profile: ChargingProfile;
  installedAt: number;
}

const DAY_MS = 86_400_000;

function cycleMs(p: ChargingProfile): number {
  return (p.recurrencyKind === 'Weekly' ? 7 : 1) * DAY_MS;
}

/**
 * Where the schedule in force at `t` starts, ms (OCPP 1.6 §7.13
 * ChargingProfileKindType): Absolute at `startSchedule`; Relative at the
 * start of the transaction (§3.13.1: a TxDefaultProfile's periods count
 * from each transaction's start); Recurring at the start of the present day
 * or week counted from `startSchedule`.
 */
function scheduleStart(i: Installed, t: number, txStart: number | undefined): number {
  const p = i.profile;
  const s = p.chargingSchedule;
  if (p.chargingProfileKind === 'Relative') return txStart ?? i.installedAt;
  const base = s.startSchedule ? Date.parse(s.startSchedule) : i.installedAt;
  if (p.chargingProfileKind !== 'Recurring') return base;
  const cycle = cycleMs(p);
  return base + Math.floor((t - base) / cycle) * cycle;
}

function withinValidity(p: ChargingProfile, t: number): boolean {
  if (p.validFrom && t < Date.parse(p.validFrom)) return false;
  if (p.validTo && t >= Date.parse(p.validTo)) return false;
  return true;
}

/**
 * The schedule period in force at `t`, or undefined when the profile limits
 * nothing then: outside validFrom..validTo, before its schedule starts, or
 * past its `duration` (§7.12: a schedule without duration continues its last
 * period indefinitely; with one, it ends, and the profile below it applies).
 */
export function periodInForce(i: Installed, t: number, txStart: number | undefined): SchedulePeriod | undefined {
  const p = i.profile;
  if (!withinValidity(p, t)) return undefined;
  const s = p.chargingSchedule;
  const elapsedS = (t - scheduleStart(i, t, txStart)) / 1000;
  if (elapsedS < 0 || (s.duration !== undefined && elapsedS >= s.duration)) return undefined;
  let current: SchedulePeriod | undefined;
  for (const period of s.chargingSchedulePeriod) {
    if (period.startPeriod <= elapsedS && (!current || period.startPeriod >= current.startPeriod)) current = period;
  }
  return current;
}

/**
 * Instants (ms) at which what this profile says may change: its validity
 * bounds, each period's start and the schedule's end (for a Recurring one,
 * in this cycle and the next). The simulator wakes at the earliest one
 * after now, so a lease that runs out takes effect at that very instant.
 */
export function boundaries(i: Installed, t: number, txStart: number | undefined): number[] {
  const p = i.profile;
  const s = p.chargingSchedule;
  const out: number[] = [];
  if (p.validFrom) out.push(Date.parse(p.validFrom));
  if (p.validTo) out.push(Date.parse(p.validTo));
  const start = scheduleStart(i, t, txStart);
  const starts = p.chargingProfileKind === 'Recurring' ? [start, start + cycleMs(p)] : [start];
  for (const st of starts) {
    out.push(st);
    for (const period of s.chargingSchedulePeriod) out.push(st + period.startPeriod * 1000);
    if (s.duration !== undefined) out.push(st + s.duration * 1000);
  }
  return out;
}
