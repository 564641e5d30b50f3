import type { ChargerStateRow } from '../../../db/repositories/seed-queries.ts';

/** Seed 2.9 categories, in the seed's order and spelling. */
export const STATE_CATEGORIES = [
  'BootUp',
  'Available',
  'PreParing',
  'Charging',
  'StatusChanged',
  'StopCharging',
  'RemoteCharging',
  'RemoteStopCharging',
  'SendMessage',
  'Updating',
  'Unavailable',
  'Reboot',
  'Faulted',
  'SupsendedEV',
  'Finishing',
  'Other',
] as const;
export type StateCategory = (typeof STATE_CATEGORIES)[number];

/** OCPP 1.6 §7.7 ChargePointStatus → seed name; anything not listed (Reserved, SuspendedEVSE) is Other. */
const STATUS_TO_CATEGORY: Record<string, StateCategory> = {
  BootUp: 'BootUp',
  Available: 'Available',
  Preparing: 'PreParing',
  Charging: 'Charging',
  SuspendedEV: 'SupsendedEV',
  Finishing: 'Finishing',
  Unavailable: 'Unavailable',
  Faulted: 'Faulted',
};

const CATEGORY_SET = new Set<string>(STATE_CATEGORIES);

/**
 * The one category a charger counts in (docs/PRODUCT.md §3): a system transitional state
 * while it lasts, then offline → Other, then its last OCPP status.
 */
export function categoryOf(c: Pick<ChargerStateRow, 'state' | 'transitionalState' | 'online'>): StateCategory {
  if (c.transitionalState && CATEGORY_SET.has(c.transitionalState)) return c.transitionalState as StateCategory;
  if (!c.online) return 'Other';
  return (c.state && STATUS_TO_CATEGORY[c.state]) || 'Other';
}

/**
 * Percent per category with 2 decimals that add up to exactly 100.00 when
 * there is any charger: largest-remainder rounding in hundredths of a percent
 * (ties go to the earlier category). No charger: all zeros.
 */
export function stateShare(
  rows: Pick<ChargerStateRow, 'state' | 'transitionalState' | 'online'>[],
): Record<StateCategory, number>[] {
  const counts = new Map<StateCategory, number>(STATE_CATEGORIES.map((k) => [k, 0]));
  for (const r of rows) {
    const k = categoryOf(r);
    counts.set(k, counts.get(k)! + 1);
  }
  const total = rows.length;
  const units = STATE_CATEGORIES.map((k) => (total ? (counts.get(k)! * 10_000) / total : 0));
  const floors = units.map(Math.floor);
  let left = total ? 10_000 - floors.reduce((a, b) => a + b, 0) : 0;
  const order = units.map((u, i) => ({ i, rem: u - floors[i]! })).sort((a, b) => b.rem - a.rem || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    floors[i] = floors[i]! + 1;
    left -= 1;
  }
  return STATE_CATEGORIES.map((k, i) => ({ [k]: floors[i]! / 100 }) as Record<StateCategory, number>);
}
