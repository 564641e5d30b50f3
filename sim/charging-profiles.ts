/**
 * Installed charging profiles and the limit they impose (OCPP 1.6 §3.13 Smart
 * Charging). Per purpose the valid profile with the highest stackLevel wins;
 * a TxProfile overrides the TxDefaultProfile for the running transaction and
 * ChargePointMaxProfile caps both (§3.13.2). Limits are handled in amperes
 * per phase; W schedules are converted at the nominal voltage.
 */
export const NOMINAL_VOLTAGE = 230;

export interface SchedulePeriod {
  startPeriod: number;
  limit: number;
  numberPhases?: number;
}
export interface ChargingProfile {
  chargingProfileId: number;
  transactionId?: number;
  stackLevel: number;
  chargingProfilePurpose: 'ChargePointMaxProfile' | 'TxDefaultProfile' | 'TxProfile';
  chargingProfileKind: 'Absolute' | 'Recurring' | 'Relative';
  recurrencyKind?: 'Daily' | 'Weekly';
  validFrom?: string;
  validTo?: string;
  chargingSchedule: {
    duration?: number;
    startSchedule?: string;
    chargingRateUnit: 'A' | 'W';
    chargingSchedulePeriod: SchedulePeriod[];
    minChargingRate?: number;
  };
}

interface Installed {
  connectorId: number;
  profile: ChargingProfile;
  installedAt: number;
}

export class ChargingProfiles {
  private items: Installed[] = [];

  /** SetChargingProfile (§5.16): same id, or same purpose+stackLevel on the connector, replaces (§3.13.2). */
  set(connectorId: number, profile: ChargingProfile, at: Date): void {
    const p = profile;
    this.items = this.items.filter(
      (i) =>
        i.profile.chargingProfileId !== p.chargingProfileId &&
        !(i.connectorId === connectorId && i.profile.stackLevel === p.stackLevel && i.profile.chargingProfilePurpose === p.chargingProfilePurpose),
    );
    this.items.push({ connectorId, profile: p, installedAt: at.getTime() });
  }

  /** ClearChargingProfile (§5.5): removes the matching profiles; false when none matched (Unknown). */
  clear(f: { id?: number; connectorId?: number; chargingProfilePurpose?: string; stackLevel?: number }): boolean {
    const before = this.items.length;
    this.items = this.items.filter((i) => {
      if (f.id !== undefined) return i.profile.chargingProfileId !== f.id;
      if (f.connectorId !== undefined && i.connectorId !== f.connectorId) return true;
      if (f.chargingProfilePurpose !== undefined && i.profile.chargingProfilePurpose !== f.chargingProfilePurpose) return true;
      if (f.stackLevel !== undefined && i.profile.stackLevel !== f.stackLevel) return true;
      return false;
    });
    return this.items.length < before;
  }

  /** TxProfiles end with their transaction (§3.13.1). */
  dropTxProfiles(connectorId: number): void {
    this.items = this.items.filter((i) => !(i.connectorId === connectorId && i.profile.chargingProfilePurpose === 'TxProfile'));
  }

  /**
   * The current limit per phase in force at `at` on a connector, or Infinity.
   * `txStart` anchors Relative profiles; without a transaction, Tx profiles do not apply.
   */
  limitAmps(connectorId: number, at: Date, tx: { id?: number; start: Date } | undefined, phases: number): number {
    const cap = this.purposeLimit('ChargePointMaxProfile', [0], at, undefined, phases);
    if (!tx) return cap;
    const txLimit = this.purposeLimit('TxProfile', [connectorId], at, tx, phases);
    const txDefault = Number.isFinite(txLimit) ? txLimit : this.purposeLimit('TxDefaultProfile', [connectorId, 0], at, tx, phases);
    return Math.min(cap, txDefault);
  }

  private purposeLimit(purpose: ChargingProfile['chargingProfilePurpose'], connectorIds: number[], at: Date, tx: { id?: number; start: Date } | undefined, phases: number): number {
    // A connector-specific profile takes precedence over a connector-0 one at the same level (§3.13.2).
    const candidates = this.items
      .filter((i) => i.profile.chargingProfilePurpose === purpose && connectorIds.includes(i.connectorId))
      .filter((i) => purpose !== 'TxProfile' || i.profile.transactionId === undefined || i.profile.transactionId === tx?.id)
      .sort((a, b) => b.profile.stackLevel - a.profile.stackLevel || b.connectorId - a.connectorId);
    for (const c of candidates) {
      const limit = periodLimit(c, at, tx?.start, phases);
      if (limit !== undefined) return limit;
    }
    return Infinity;
  }
}

/** The limit of the schedule period in force at `at`, in A per phase; undefined outside the profile. */
function periodLimit(i: Installed, at: Date, txStart: Date | undefined, phases: number): number | undefined {
  const p = i.profile;
  const t = at.getTime();
  if (p.validFrom && t < Date.parse(p.validFrom)) return undefined;
  if (p.validTo && t >= Date.parse(p.validTo)) return undefined;
  const s = p.chargingSchedule;
  let start: number;
  if (p.chargingProfileKind === 'Relative') start = (txStart ?? at).getTime();
  else start = s.startSchedule ? Date.parse(s.startSchedule) : i.installedAt;
  let elapsed = (t - start) / 1000;
  if (p.chargingProfileKind === 'Recurring') {
    const period = p.recurrencyKind === 'Weekly' ? 7 * 86400 : 86400;
    elapsed = ((elapsed % period) + period) % period;
  }
  if (elapsed < 0 || (s.duration !== undefined && elapsed >= s.duration)) return undefined;
  let current: SchedulePeriod | undefined;
  for (const period of [...s.chargingSchedulePeriod].sort((a, b) => a.startPeriod - b.startPeriod)) {
    if (period.startPeriod <= elapsed) current = period;
  }
  if (!current) return undefined;
  if (s.chargingRateUnit === 'A') return current.limit;
  return current.limit / (NOMINAL_VOLTAGE * (current.numberPhases ?? phases));
}

/**
 * GetCompositeSchedule (§5.7): the limit sampled every minute over `durationS`,
 * merged into periods; where no profile limits, the charger's own maximum.
 */
export function compositeSchedule(
  profiles: ChargingProfiles,
  connectorId: number,
  from: Date,
  durationS: number,
  tx: { id?: number; start: Date } | undefined,
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
  return { duration: durationS, startSchedule: from.toISOString(), chargingRateUnit: unit, chargingSchedulePeriod: periods };
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}
