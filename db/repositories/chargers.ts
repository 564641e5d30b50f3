import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../client.ts';
import { chargers, connectors, type ChargerRow, type RegistrationState } from '../schema/index.ts';
import { driverError } from '../sql-state.ts';
import { createChargerLiveRepository, type BootInfo, type ConnectorStatus } from './charger-live.ts';
import { updateUnlocked } from './update-unlocked.ts';

export type { BootInfo } from './charger-live.ts';

/** What the OCPP handshake needs of a charger (server/ocpp/admission.ts). */
export interface AdmissionRow {
  id: string;
  secretHash: string | null;
  secretCheck: string | null;
  registration: RegistrationState;
}

export type ChargerMetadata = Partial<
  Pick<
    ChargerRow,
    | 'description'
    | 'ip'
    | 'mac'
    | 'socketType'
    | 'maxCurrent'
    | 'minCurrent'
    | 'maxPhase'
    | 'phaseRotation'
    | 'circuitId'
    | 'registration'
    | 'secretHash'
    | 'heartbeatInterval'
  >
>;

/** A charger write named a circuit that is not there (or was removed while it was written). */
export class UnknownCircuitError extends Error {
  constructor(readonly circuitId: number | null | undefined) {
    super(`No circuit ${circuitId}`);
    this.name = 'UnknownCircuitError';
  }
}

function unknownCircuit(err: unknown, circuitId: number | null | undefined): unknown {
  const e = driverError(err);
  return e?.code === '23503' && e.constraint === 'chargers_circuit_id_circuits_id_fk'
    ? new UnknownCircuitError(circuitId)
    : err;
}

/** A new secret hash clears the fast check of the old secret in the same statement (server/auth/fast-secret-check.ts). */
function clearedCheck(patch: ChargerMetadata): { secretCheck?: null } {
  return patch.secretHash !== undefined ? { secretCheck: null } : {};
}

/** Chargers and their connectors: registration, boot data and the live legacy state (docs/PRODUCT.md §3). */
export function createChargerRepository(db: DbOrTx) {
  const live = createChargerLiveRepository(db);
  return {
    async get(id: string): Promise<ChargerRow | undefined> {
      return (await db.select().from(chargers).where(eq(chargers.id, id)))[0];
    },
    async list(): Promise<ChargerRow[]> {
      return db.select().from(chargers).orderBy(asc(chargers.id));
    },
    /** Registers a charger; returns undefined when the id exists already. */
    async create(
      input: { id: string; registration?: RegistrationState } & ChargerMetadata,
      at: Date,
    ): Promise<ChargerRow | undefined> {
      try {
        const rows = await db
          .insert(chargers)
          .values({ ...input, createdAt: at, updatedAt: at })
          .onConflictDoNothing()
          .returning();
        return rows[0];
      } catch (err) {
        throw unknownCircuit(err, input.circuitId);
      }
    },
    async update(id: string, patch: ChargerMetadata, at: Date): Promise<ChargerRow | undefined> {
      try {
        const rows = await db
          .update(chargers)
          .set({ ...patch, ...clearedCheck(patch), updatedAt: at })
          .where(eq(chargers.id, id))
          .returning();
        return rows[0];
      } catch (err) {
        throw unknownCircuit(err, patch.circuitId);
      }
    },
    /**
     * Edits a charger whose new values depend on its current ones (minCurrent
     * against maxCurrent after the merge): `decide` sees the row locked, so a
     * concurrent edit cannot slip between the check and the write; it may
     * throw to refuse. Answers the row before and after; undefined: no charger.
     */
    async edit(
      id: string,
      at: Date,
      decide: (before: ChargerRow) => ChargerMetadata | Promise<ChargerMetadata>,
    ): Promise<{ before: ChargerRow; after: ChargerRow } | undefined> {
      let patch: ChargerMetadata | undefined;
      try {
        return await db.transaction(async (tx) => {
          const before = (await tx.select().from(chargers).where(eq(chargers.id, id)).for('no key update'))[0];
          if (!before) return undefined;
          patch = await decide(before);
          const rows = await tx
            .update(chargers)
            .set({ ...patch, ...clearedCheck(patch), updatedAt: at })
            .where(eq(chargers.id, id))
            .returning();
          return { before, after: rows[0]! };
        });
      } catch (err) {
        throw unknownCircuit(err, patch?.circuitId);
      }
    },
    /** The handshake's view of many chargers at once (the batched look-up of server/ocpp/live-writes.ts). */
    async admissionRows(ids: string[]): Promise<AdmissionRow[]> {
      if (ids.length === 0) return [];
      return db
        .select({
          id: chargers.id,
          secretHash: chargers.secretHash,
          secretCheck: chargers.secretCheck,
          registration: chargers.registration,
        })
        .from(chargers)
        .where(inArray(chargers.id, ids));
    },
    /**
     * Stores the fast check made after `secretHash` passed scrypt, only if that
     * is still the charger's hash: a secret changed meanwhile keeps no check.
     */
    async recordSecretCheck(id: string, secretHash: string, check: string): Promise<void> {
      await db
        .update(chargers)
        .set({ secretCheck: check })
        .where(and(eq(chargers.id, id), eq(chargers.secretHash, secretHash)));
    },
    async remove(id: string): Promise<boolean> {
      return (await db.delete(chargers).where(eq(chargers.id, id)).returning({ id: chargers.id })).length > 0;
    },
    /**
     * BootNotification (OCPP 1.6 §4.2), one charger: the rules live in
     * charger-live.ts, which writes many chargers' boots at once.
     */
    async recordBoot(id: string, info: BootInfo & { heartbeatInterval?: number }, at: Date): Promise<void> {
      const { heartbeatInterval: hb, ...rest } = info;
      await live.apply([
        {
          kind: 'boot',
          chargerId: id,
          info: rest,
          at,
          interval: hb === undefined ? undefined : { accepted: hb, pending: hb },
        },
      ]);
    },
    /** Any message from the charger: it is online, and `vchcommand` is the last action received. */
    async recordSeen(id: string, action: string, at: Date): Promise<void> {
      await live.apply([{ kind: 'seen', chargerId: id, action, at }]);
    },
    /** StatusNotification (OCPP 1.6 §4.9): per connector, and the charger's legacy state. */
    async recordStatus(id: string, s: ConnectorStatus, at: Date): Promise<void> {
      await live.apply([{ kind: 'status', chargerId: id, status: s, at }]);
    },
    async allConnectors() {
      return db.select().from(connectors).orderBy(asc(connectors.chargerId), asc(connectors.connectorId));
    },
    async connectors(id: string) {
      return db.select().from(connectors).where(eq(connectors.chargerId, id)).orderBy(asc(connectors.connectorId));
    },
    /** A system-side transitional state (docs/PRODUCT.md §3: RemoteCharging, Reboot, Updating, SendMessage, ...); null ends it. */
    async setTransitional(id: string, state: string | null, at: Date): Promise<void> {
      await db
        .update(chargers)
        .set({ transitionalState: state, transitionalSince: state ? at : null })
        .where(eq(chargers.id, id));
    },
    /**
     * Ends a transitional state only if it is still the one named, so a late
     * answer cannot wipe a newer state; returns whether it ended.
     */
    async clearTransitional(id: string, states: string[]): Promise<boolean> {
      const rows = await db
        .update(chargers)
        .set({ transitionalState: null, transitionalSince: null })
        .where(and(eq(chargers.id, id), inArray(chargers.transitionalState, states)))
        .returning({ id: chargers.id });
      return rows.length > 0;
    },
    /** Transitional states older than `before` (a remote start whose transaction never came); cleared, with their ids. */
    async expireTransitional(states: string[], before: Date): Promise<string[]> {
      const rows = await db
        .update(chargers)
        .set({ transitionalState: null, transitionalSince: null })
        .where(and(inArray(chargers.transitionalState, states), lt(chargers.transitionalSince, before)))
        .returning({ id: chargers.id });
      return rows.map((r) => r.id);
    },
    async setFirmwareStatus(id: string, status: string, at: Date): Promise<void> {
      await db
        .update(chargers)
        .set({ firmwareStatus: status, lastSeenAt: at, online: true, lastCommand: 'FirmwareStatusNotification' })
        .where(eq(chargers.id, id));
    },
    async setDiagnosticsStatus(id: string, status: string, at: Date): Promise<void> {
      await db
        .update(chargers)
        .set({ diagnosticsStatus: status, lastSeenAt: at, online: true, lastCommand: 'DiagnosticsStatusNotification' })
        .where(eq(chargers.id, id));
    },
    /** A charger's WebSocket opened: it is online now, whatever it says next. */
    async markConnected(id: string, at: Date): Promise<void> {
      await live.apply([{ kind: 'connected', chargerId: id, at }]);
    },
    /** The charger's clock minus ours (server/ocpp/clock-skew.ts) and when it was measured. */
    /** Clock-skew figures kept in memory (server/ocpp/seen-buffer.ts), many chargers in one statement. */
    async recordClockSkews(
      entries: { chargerId: string; ms: number; at: Date }[],
      skipLocked = false,
    ): Promise<string[]> {
      const json = JSON.stringify(entries.map((e) => ({ id: e.chargerId, ms: e.ms, at: e.at.toISOString() })));
      if (entries.length === 0) return [];
      return updateUnlocked(
        db,
        sql`jsonb_to_recordset(${json}::jsonb) as x(id text, ms bigint, at timestamptz)`,
        sql`clock_skew_ms = x.ms, clock_skew_at = x.at`,
        sql`true`,
        skipLocked,
      );
    },
    async setOnline(id: string, online: boolean): Promise<void> {
      await db.update(chargers).set({ online }).where(eq(chargers.id, id));
    },
    /**
     * Marks chargers offline that have said nothing for `intervals` of their
     * own heartbeat interval (docs/PRODUCT.md §5 offline detection); returns their ids.
     */
    async markSilentOffline(now: Date, intervals: number): Promise<string[]> {
      const rows = await db
        .update(chargers)
        .set({ online: false })
        .where(
          and(
            eq(chargers.online, true),
            lt(
              sql`${chargers.lastSeenAt} + make_interval(secs => ${chargers.heartbeatInterval} * ${intervals}::int)`,
              sql`${now.toISOString()}::timestamptz`,
            ),
          ),
        )
        .returning({ id: chargers.id });
      return rows.map((r) => r.id);
    },
  };
}
export type ChargerRepository = ReturnType<typeof createChargerRepository>;
