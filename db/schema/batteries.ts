import { sql } from 'drizzle-orm';
import { bigserial, check, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Vehicles of the swap registry (seed 000); the VIN is the key, batteryGroupNo belongs to the vehicle. */
export const vehicles = pgTable('vehicles', {
  vin: text('vin').primaryKey(),
  batteryGroupNo: text('battery_group_no'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/**
 * Battery packs. A pack is in at most one vehicle (a single nullable `vin`
 * column makes two vehicles impossible), and a BMS number belongs to at most
 * one pack (unique). A vehicle's pack list is derived from this column, so it
 * cannot disagree with the per-pack look-ups.
 */
export const batteryPacks = pgTable(
  'battery_packs',
  {
    batteryNo: text('battery_no').primaryKey(),
    bmsNo: text('bms_no').unique(),
    batteryType: integer('battery_type'),
    vin: text('vin').references(() => vehicles.vin, { onDelete: 'set null' }),
    /** Position in the vehicle's `batteryInfo` list (seed 000 §1 keeps the station's order); null when unassigned. */
    slot: integer('slot'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('battery_packs_vin_idx').on(t.vin),
    check('battery_packs_slot_with_vin', sql`(${t.vin} is null) = (${t.slot} is null)`),
  ],
);

/** Every registry change: who, when, before, after; read back per VIN and per pack. */
export const batteryHistory = pgTable(
  'battery_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    vin: text('vin'),
    batteryNo: text('battery_no'),
    before: jsonb('before'),
    after: jsonb('after'),
  },
  (t) => [
    index('battery_history_vin_idx').on(t.vin, t.at),
    index('battery_history_pack_idx').on(t.batteryNo, t.at),
    check('battery_history_subject', sql`${t.vin} is not null or ${t.batteryNo} is not null`),
  ],
);
