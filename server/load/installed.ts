import type { SiteCharger, SiteSession } from './site-model.ts';

/**
 * What the controller knows is installed on each charger (docs/LOAD.md
 * "What a charger is counted at"). Knowledge only ever comes from an
 * Accepted answer; what it does not know it counts at the charger's
 * maxCurrent, so every gap is on the safe side.
 */
export interface ChargerLink {
  /** ChargeProfileMaxStackLevel, read once per boot (profiles.ts); undefined: not read yet. */
  stackLevel?: number | undefined;
  /** MeterValueSampleInterval, s, read with the stack level. */
  sampleIntervalS?: number | undefined;
  /** The safe share of the TxDefaultProfile the charger accepted; undefined: unknown. */
  defaultLimit?: number | undefined;
  /** Refused, errored or timed out: counted at maxCurrent, not steered, until this instant (ms). */
  refusedUntil?: number | undefined;
  /** When the present refusal began (the alarm's episode). */
  refusedSince?: number | undefined;
  /** A send found no process holding the charger: counted at maxCurrent until it connects again. */
  unreachable?: boolean | undefined;
  /** Distribution off: our profiles are cleared on it (since its last boot or connection). */
  cleared?: boolean | undefined;
  /**
   * Connected but not booted yet: sent nothing until this instant (ms, 2 s
   * after the connection) unless its BootNotification is accepted first.
   * Real chargers refuse or drop CALLs before they booted (OCPP 1.6 §4.2),
   * which is no refusal of a profile: meanwhile it is counted at what it
   * holds as far as known, without an alarm.
   */
  bootWaitUntil?: number | undefined;
}

/** A TxProfile the charger accepted for one transaction: `limit` A per phase until `until` (ms), the lease end, then `after`. */
export interface TxGrant {
  transactionId: number;
  limit: number;
  /** The profile's numberPhases (§7.13): fewer than wired for a session narrowed to its L1 (phase-demand.ts). */
  numberPhases: number;
  until: number;
  after: number;
}

/** Whether the controller steers the charger now, or counts it at its maximum. */
export function steerable(charger: SiteCharger, link: ChargerLink | undefined, now: number): boolean {
  if (!charger.online || link?.unreachable || awaitingBoot(link, now)) return false;
  return link?.refusedUntil === undefined || link.refusedUntil <= now;
}

/** Whether the charger has just connected and is given time for its BootNotification (ChargerLink.bootWaitUntil). */
export function awaitingBoot(link: ChargerLink | undefined, now: number): boolean {
  return link?.bootWaitUntil !== undefined && now < link.bootWaitUntil;
}

/**
 * The current the charger enforces on a session at `now`, A per phase, as
 * far as the controller knows: its TxProfile (the allowance while the lease
 * runs, the lower of it and the safe share after); else its
 * TxDefaultProfile, 0 A for the first lease of the transaction and the safe
 * share after it (Relative: counted from the start the charger reported);
 * undefined when nothing is known, which counts as the charger's maximum.
 */
export function knownLimit(
  session: SiteSession,
  charger: SiteCharger,
  link: ChargerLink | undefined,
  grant: TxGrant | undefined,
  now: number,
  leaseMs: number,
): number | undefined {
  if (grant && grant.transactionId === session.transactionId)
    return Math.min(now < grant.until ? grant.limit : grant.after, charger.max);
  if (link?.defaultLimit !== undefined)
    return now - session.startedAt.getTime() < leaseMs ? 0 : Math.min(link.defaultLimit, charger.max);
  return undefined;
}
