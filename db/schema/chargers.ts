import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  doublePrecision,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';
import { PHASE_ROTATIONS, type PhaseRotation } from '../../contracts/load.ts';
import { circuits } from './circuits.ts';

/** Admission state of a charge point (OCPP 1.6 §4.2 RegistrationStatus, plus our own gate). */
export const REGISTRATION_STATES = ['Accepted', 'Pending', 'Rejected'] as const;
export type RegistrationState = (typeof REGISTRATION_STATES)[number];

export const chargers = pgTable(
  'chargers',
  {
    id: text('id').primaryKey(), // chargePointId, the seed's vchchargerid
    secretHash: text('secret_hash'), // HTTP Basic secret (security profile 1), scrypt
    // The fast check of that secret after its first successful handshake
    // (server/auth/fast-secret-check.ts); cleared whenever secret_hash changes.
    secretCheck: text('secret_check'),
    registration: text('registration').$type<RegistrationState>().notNull().default('Accepted'),
    description: text('description'),
    // BootNotification (OCPP 1.6 §4.2)
    vendor: text('vendor'),
    model: text('model'),
    serialNumber: text('serial_number'),
    chargeBoxSerialNumber: text('charge_box_serial_number'),
    firmwareVersion: text('firmware_version'),
    iccid: text('iccid'),
    imsi: text('imsi'),
    meterType: text('meter_type'),
    meterSerialNumber: text('meter_serial_number'),
    // Seed 2.1 metadata the charger does not report itself
    ip: text('ip'),
    mac: text('mac'),
    socketType: text('socket_type').notNull().default('GBT'),
    maxCurrent: doublePrecision('max_current').notNull().default(32),
    minCurrent: doublePrecision('min_current').notNull().default(8),
    maxPhase: integer('max_phase').notNull().default(1),
    // Which site phases the charger's L1, L2, L3 are wired to (docs/PRODUCT.md §7);
    // null: the site's vchpowersequence. A single-phase charger loads the first.
    phaseRotation: text('phase_rotation').$type<PhaseRotation>(),
    // The circuit the charger hangs from; null: directly under the site.
    circuitId: integer('circuit_id').references(() => circuits.id, { onDelete: 'restrict' }),
    // Live legacy state (docs/PRODUCT.md §3 mapping)
    state: text('state'), // vchstate: last OCPP status, or BootUp
    transitionalState: text('transitional_state'), // RemoteCharging, Reboot, Updating, ...
    transitionalSince: timestamp('transitional_since', { withTimezone: true }),
    lastCommand: text('last_command'), // vchcommand: last action received
    sessionCounter: integer('session_counter').notNull().default(0), // intchargingcode source
    energyWhTotal: bigint('energy_wh_total', { mode: 'number' }).notNull().default(0),
    minutesTotal: doublePrecision('minutes_total').notNull().default(0),
    firmwareStatus: text('firmware_status'),
    diagnosticsStatus: text('diagnostics_status'),
    heartbeatInterval: integer('heartbeat_interval').notNull().default(300),
    online: boolean('online').notNull().default(false),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
    lastBootAt: timestamp('last_boot_at', { withTimezone: true }),
    // The charger's clock minus ours (ms, positive: ahead), from the least-delayed
    // timestamped message of its current connection, and when that message came.
    clockSkewMs: bigint('clock_skew_ms', { mode: 'number' }),
    clockSkewAt: timestamp('clock_skew_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('chargers_registration_check', sql`${t.registration} in ('Accepted','Pending','Rejected')`),
    check('chargers_energy_nonneg', sql`${t.energyWhTotal} >= 0 and ${t.minutesTotal} >= 0`),
    check('chargers_currents', sql`${t.minCurrent} >= 0 and ${t.maxCurrent} >= ${t.minCurrent}`),
    check('chargers_max_phase', sql`${t.maxPhase} between 1 and 3`),
    check(
      'chargers_phase_rotation',
      sql.raw(`phase_rotation is null or phase_rotation in (${PHASE_ROTATIONS.map((r) => `'${r}'`).join(',')})`),
    ),
  ],
);

/** Per-connector status (OCPP 1.6 §4.9 StatusNotification); connector 0 is the charge point itself. */
export const connectors = pgTable(
  'connectors',
  {
    chargerId: text('charger_id')
      .notNull()
      .references(() => chargers.id, { onDelete: 'cascade' }),
    connectorId: integer('connector_id').notNull(),
    status: text('status').notNull(),
    errorCode: text('error_code').notNull().default('NoError'),
    info: text('info'),
    vendorId: text('vendor_id'),
    vendorErrorCode: text('vendor_error_code'),
    statusAt: timestamp('status_at', { withTimezone: true }).notNull(),
    // Since when the connector has had this status and error code: status_at moves with
    // every StatusNotification, this only when one of them changes (db/repositories/charger-live.ts).
    statusSince: timestamp('status_since', { withTimezone: true }).notNull(),
    preparingSince: timestamp('preparing_since', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.chargerId, t.connectorId] })],
);

export type ChargerRow = typeof chargers.$inferSelect;
