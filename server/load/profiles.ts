/**
 * The charging profiles chargeops installs (OCPP 1.6 §3.13 Smart Charging,
 * §5.16 SetChargingProfile, §5.5 ClearChargingProfile), as payloads. Pure
 * functions; server/load/actuator.ts sends them. docs/LOAD.md "Acting over OCPP".
 */

/**
 * chargingProfileIds are fixed numbers, so a restarted chargeops (which has
 * forgotten what it sent) can still replace or clear its own profiles by id,
 * and an operator's profiles (usually small ids) are never touched:
 * 1,613,000,000 ("1.6 §3.13") is the TxDefaultProfile on connector 0, and
 * 1,613,000,000 + n the TxProfile of connector n. A TxProfile with the same id
 * replaces the one before it (§3.13.2), so each connector holds at most one of ours.
 */
export const PROFILE_ID_BASE = 1_613_000_000;
export const TX_DEFAULT_PROFILE_ID = PROFILE_ID_BASE;
export function txProfileId(connectorId: number): number {
  return PROFILE_ID_BASE + connectorId;
}

/**
 * The stack level of our profiles is the charger's own ChargeProfileMaxStackLevel
 * (§9.4, read-only, read once per boot with GetConfiguration): per purpose the
 * profile with the highest stack level is the one in force, and a profile of the
 * same purpose and stack level replaces the one there (§3.13.2), so at the
 * highest level allowed ours is in force whatever else is installed (a
 * ChargePointMaxProfile still caps it, which only ever lowers). A charger that
 * does not say gets 0, the one level every charger accepts.
 */
export const FALLBACK_STACK_LEVEL = 0;

/**
 * What the controller asks each charger once per boot (GetConfiguration,
 * §5.8): its highest stack level, and how often it samples meter values,
 * which says when a measurement is stale (server/load/demand.ts).
 */
export const CONFIGURATION_KEYS = ['ChargeProfileMaxStackLevel', 'MeterValueSampleInterval'];
/** Seconds between samples when the charger does not say (the seed chargers' 60 s). */
export const FALLBACK_SAMPLE_INTERVAL_S = 60;

function configured(answer: unknown, key: string): number | undefined {
  const keys = (answer as { configurationKey?: { key: string; value?: string }[] } | undefined)?.configurationKey ?? [];
  const raw = keys.find((k) => k.key === key)?.value?.trim();
  return raw !== undefined && /^\d{1,9}$/.test(raw) ? Number(raw) : undefined;
}

/** ChargeProfileMaxStackLevel from a GetConfiguration.conf; the fallback when absent or not a number. */
export function maxStackLevel(answer: unknown): number {
  return configured(answer, 'ChargeProfileMaxStackLevel') ?? FALLBACK_STACK_LEVEL;
}

/** MeterValueSampleInterval (§9.1.20), seconds; the fallback when absent, 0 (not sampling) or not a number. */
export function sampleInterval(answer: unknown): number {
  return configured(answer, 'MeterValueSampleInterval') || FALLBACK_SAMPLE_INTERVAL_S;
}

/** Amperes floored to the 0.1 A a schedule limit is a multiple of (OCPP 1.6 §7.13 ChargingSchedulePeriod). */
export function limitOf(amps: number): number {
  return Math.max(0, Math.floor(amps * 10 + 1e-6) / 10);
}

export interface TxProfileInput {
  connectorId: number;
  transactionId: number;
  stackLevel: number;
  /** A per phase. */
  limit: number;
  numberPhases: number;
  /** The charger's safe share (safe-default.ts): what the session falls to when the lease ends unrenewed, if lower. */
  safeShare: number;
  /** The lease starts now (the injected clock). */
  now: Date;
  leaseSeconds: number;
}

/** What a TxProfile holds once its lease has run out: the lower of the allowance and the safe share. */
export function afterLease(limit: number, safeShare: number): number {
  return limitOf(Math.min(limit, safeShare));
}

/**
 * A session's allowance as a TxProfile (§3.13.1), bound to its transaction,
 * Absolute from now: the allowance for one lease, then, unless renewed, the
 * lower of the allowance and the charger's safe share for the rest of the
 * transaction (no duration: the last period lasts, §7.13). Why not a
 * duration that hands the session back to its TxDefaultProfile's safe
 * share: leases end at different instants, and a session falling back to a
 * safe share above its allowance while others still hold theirs could add up
 * to more than a limit (docs/LOAD.md "Failsafe").
 */
export function txProfile(p: TxProfileInput) {
  return {
    connectorId: p.connectorId,
    csChargingProfiles: {
      chargingProfileId: txProfileId(p.connectorId),
      transactionId: p.transactionId,
      stackLevel: p.stackLevel,
      chargingProfilePurpose: 'TxProfile' as const,
      chargingProfileKind: 'Absolute' as const,
      chargingSchedule: {
        startSchedule: p.now.toISOString(),
        chargingRateUnit: 'A' as const,
        chargingSchedulePeriod: [
          { startPeriod: 0, limit: limitOf(p.limit), numberPhases: p.numberPhases },
          { startPeriod: p.leaseSeconds, limit: afterLease(p.limit, p.safeShare), numberPhases: p.numberPhases },
        ],
      },
    },
  };
}

export interface TxDefaultInput {
  stackLevel: number;
  /** The safe share, A per phase (server/load/safe-default.ts). */
  limit: number;
  numberPhases: number;
  leaseSeconds: number;
}

/**
 * The failsafe (docs/LOAD.md "Failsafe"): on connector 0, so it applies to
 * every connector's transactions; Relative, so each transaction's schedule
 * starts at its own start: 0 A for one lease, then the safe share for the rest.
 */
export function txDefaultProfile(p: TxDefaultInput) {
  return {
    connectorId: 0,
    csChargingProfiles: {
      chargingProfileId: TX_DEFAULT_PROFILE_ID,
      stackLevel: p.stackLevel,
      chargingProfilePurpose: 'TxDefaultProfile' as const,
      chargingProfileKind: 'Relative' as const,
      chargingSchedule: {
        chargingRateUnit: 'A' as const,
        chargingSchedulePeriod: [
          { startPeriod: 0, limit: 0, numberPhases: p.numberPhases },
          { startPeriod: p.leaseSeconds, limit: limitOf(p.limit), numberPhases: p.numberPhases },
        ],
      },
    },
  };
}

/** ClearChargingProfile by one of our ids (§5.5): Accepted or Unknown, both mean it is gone. */
export function clearById(id: number) {
  return { id };
}
