import { sql } from 'drizzle-orm';
import { check, doublePrecision, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The site's basic settings (seed 004 §2.4/§2.5): exactly one row (id = 1).
 * Column names are the seed's keys so the legacy contract maps one to one.
 * Defaults are the seed's example values.
 */
export const siteSettings = pgTable(
  'site_settings',
  {
    id: integer('id').primaryKey().default(1),
    vchcardreadercom: text('vchcardreadercom').notNull().default('Com10'),
    yeainstallyear: text('yeainstallyear').notNull().default('2013'),
    intinstallmonth: integer('intinstallmonth').notNull().default(100),
    blncurrentdistribution: integer('blncurrentdistribution').notNull().default(1),
    vchpowermetercom: text('vchpowermetercom').notNull().default('Com4'),
    vchpowersequence: text('vchpowersequence').notNull().default('ABC'),
    intcurrency: integer('intcurrency').notNull().default(86),
    dblchargingdeductionpower: doublePrecision('dblchargingdeductionpower').notNull().default(3.0),
    intchargingdeductionminute: integer('intchargingdeductionminute').notNull().default(120),
    intdeductionprioritypower: integer('intdeductionprioritypower').notNull().default(2),
    intdeductionpriorityminute: integer('intdeductionpriorityminute').notNull().default(1),
    dblpowercoefficient: doublePrecision('dblpowercoefficient').notNull().default(0.001),
    blninternaltesting: integer('blninternaltesting').notNull().default(1),
    intmaxcurrenta: integer('intmaxcurrenta').notNull().default(32),
    intmaxcurrentb: integer('intmaxcurrentb').notNull().default(32),
    intmaxcurrentc: integer('intmaxcurrentc').notNull().default(32),
    updatedAt: timestamp('updated_at', { withTimezone: true }),
    updatedBy: text('updated_by'),
  },
  (t) => [
    check('site_settings_single_row', sql`${t.id} = 1`),
    check('site_settings_flags', sql`${t.blncurrentdistribution} in (0,1) and ${t.blninternaltesting} in (0,1)`),
    check('site_settings_sequence', sql`${t.vchpowersequence} in ('ABC','ACB','BAC','BCA','CAB','CBA')`),
    check(
      'site_settings_currents',
      sql`${t.intmaxcurrenta} >= 0 and ${t.intmaxcurrentb} >= 0 and ${t.intmaxcurrentc} >= 0`,
    ),
  ],
);

export type SiteSettingsRow = typeof siteSettings.$inferSelect;
