import { boundaries, periodInForce, type Installed } from './profile-schedule.ts';

/**
 * Installed charging profiles and the limit they impose (OCPP 1.6 §3.13
 * Smart Charging). Per purpose the profile with the highest stackLevel that
 * has a period in force wins (a connector's own before connector 0's at the
 * same level); a TxProfile overrides the TxDefaultProfile for its
 * transaction; ChargePointMaxProfile caps the charge point as a whole
 * (§3.13.2). Limits are amperes per phase; W schedules are converted at the
 * nominal voltage over the phases in use.
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

/** The transaction a connector runs: Relative schedules count from its start; a TxProfile with a transactionId applies only to it. */
export interface TxRef {
  id?: number | undefined;
  start: Date;
}

/** What the profiles allow on a connector: A per phase (Infinity: nothing limits) on at most `phases` phases. */
export interface Limit {
  amps: number;
  phases: number;
}

type Purpose = ChargingProfile['chargingProfilePurpose'];

export class ChargingProfiles {
  private items: Installed[] = [];

  get size(): number {
    return this.items.length;
  }

  /**
   * SetChargingProfile (§5.16): a profile with the same id, or with the same
   * purpose and stackLevel on the connector, is replaced (§3.13.2). False
   * (Rejected) when that would hold more than `maxInstalled` profiles
   * (MaxChargingProfilesInstalled, §9.4).
   */
  set(connectorId: number, profile: ChargingProfile, at: Date, maxInstalled = Infinity): boolean {
    const p = profile;
    const kept = this.items.filter(
      (i) =>
        i.profile.chargingProfileId !== p.chargingProfileId &&
        !(
          i.connectorId === connectorId &&
          i.profile.stackLevel === p.stackLevel &&
          i.profile.chargingProfilePurpose === p.chargingProfilePurpose
        ),
    );
    if (kept.length + 1 > maxInstalled) return false;
    this.items = [...kept, { connectorId, profile: p, installedAt: at.getTime() }];
    return true;
  }

  /**
   * ClearChargingProfile (§5.5): by id alone when an id is given; otherwise
   * every profile matching all the criteria given (none: every profile).
   * False when nothing matched (Unknown).
   */
  clear(f: {
    id?: number | undefined;
    connectorId?: number | undefined;
    chargingProfilePurpose?: string | undefined;
    stackLevel?: number | undefined;
  }): boolean {
    const before = this.items.length;
    this.items = this.items.filter((i) => {
      if (f.id !== undefined) return i.profile.chargingProfileId !== f.id;
      if (f.connectorId !== undefined && i.connectorId !== f.connectorId) return true;
      if (f.chargingProfilePurpose !== undefined && i.profile.chargingProfilePurpose !== f.chargingProfilePurpose)
        return true;
      if (f.stackLevel !== undefined && i.profile.stackLevel !== f.stackLevel) return true;
      return false;
    });
    return this.items.length < before;
  }

  /** TxProfiles end with their transaction (§3.13.1). */
  dropTxProfiles(connectorId: number): void {
    this.items = this.items.filter(
      (i) => !(i.connectorId === connectorId && i.profile.chargingProfilePurpose === 'TxProfile'),
    );
  }

  /**
   * The limit in force at `at` on a connector. Without a transaction only
   * ChargePointMaxProfile applies. `sharing`: connectors drawing at once,
   * over which the charge point's cap is split.
   */
  limit(connectorId: number, at: Date, tx: TxRef | undefined, chargerPhases: number, sharing = 1): Limit {
    const t = at.getTime();
    let amps = Infinity;
    let phases = chargerPhases;
    const cap = this.inForce('ChargePointMaxProfile', [0], t, undefined, chargerPhases);
    if (cap) {
      amps = cap.amps / Math.max(1, sharing);
      phases = Math.min(phases, cap.phases);
    }
    if (tx) {
      const own =
        this.inForce('TxProfile', [connectorId], t, tx, chargerPhases) ??
        this.inForce('TxDefaultProfile', [connectorId, 0], t, tx, chargerPhases);
      if (own) {
        amps = Math.min(amps, own.amps);
        phases = Math.min(phases, own.phases);
      }
    }
    return { amps, phases };
  }

  limitAmps(connectorId: number, at: Date, tx: TxRef | undefined, chargerPhases: number): number {
    return this.limit(connectorId, at, tx, chargerPhases).amps;
  }

  /** The first instant after `at` at which the limit on the connector may change by itself (a period starts, a lease runs out); undefined: never. */
  nextChange(connectorId: number, at: Date, tx: TxRef | undefined): number | undefined {
    const t = at.getTime();
    let next: number | undefined;
    for (const i of this.items) {
      if (i.connectorId !== 0 && i.connectorId !== connectorId) continue;
      if (i.profile.chargingProfilePurpose !== 'ChargePointMaxProfile' && !tx) continue;
      for (const b of boundaries(i, t, tx?.start.getTime())) if (b > t && (next === undefined || b < next)) next = b;
    }
    return next;
  }

  /** The winning profile of a purpose on the given connectors at `t`, as a limit; undefined when none has a period in force. */
  private inForce(
    purpose: Purpose,
    connectorIds: number[],
    t: number,
    tx: TxRef | undefined,
    chargerPhases: number,
  ): Limit | undefined {
    const candidates = this.items
      .filter((i) => i.profile.chargingProfilePurpose === purpose && connectorIds.includes(i.connectorId))
      // §3.13.1: a TxProfile naming a transaction applies to that transaction only.
      .filter(
        (i) => purpose !== 'TxProfile' || i.profile.transactionId === undefined || i.profile.transactionId === tx?.id,
      )
      .sort((a, b) => b.profile.stackLevel - a.profile.stackLevel || b.connectorId - a.connectorId);
    for (const c of candidates) {
      const period = periodInForce(c, t, tx?.start.getTime());
      if (!period) continue;
      // §7.13 ChargingSchedulePeriod.numberPhases: 3 unless given; never more than the charger has.
      const phases = Math.max(1, Math.min(period.numberPhases ?? 3, chargerPhases));
      const amps =
        c.profile.chargingSchedule.chargingRateUnit === 'A' ? period.limit : period.limit / (NOMINAL_VOLTAGE * phases);
      return { amps: Math.max(0, amps), phases };
    }
    return undefined;
  }
}
