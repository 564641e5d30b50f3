import type { PhaseRotation } from '../contracts/load.ts';
import type { SiteSetup, WiredCharger } from './site-setup.ts';

/** The seed's chargers (seed 004 §2.12 charger id list). */
export const SEED_CHARGER_IDS = [
  '00504001',
  ...Array.from({ length: 8 }, (_, i) => `1024500${i + 1}`),
  ...Array.from({ length: 8 }, (_, i) => `2150900${i + 1}`),
  '60303001',
];

const ROTATIONS: PhaseRotation[] = ['ABC', 'BCA', 'CAB', 'ACB', 'BAC', 'CBA'];

/**
 * The demo site's wiring and limits (docs/PRODUCT.md §7), chosen so the
 * limits bind at the demo's busy hours and rarely otherwise. The demo's
 * arrivals (sim/arrivals.ts) keep 7–9 of these 18 cars drawing at 8–10 h
 * and 19–23 h, 1–4 at night and 5–7 in the afternoon; the most loaded
 * phase then asks ~130 A at full offer (p90 ~175 A), and 20–70 A at quiet
 * hours. 90 A per phase binds at busy hours; the six sessions the demo
 * starts with bind at once, so the overview shows balancing from the first
 * minute.
 *
 * - 10245001–08: three-phase 32 A wallboxes, every rotation once or twice, so
 *   a single-phase car on one loads a different site phase;
 * - 21509001–08: single-phase 32 A ones, spread over A, B, C;
 * - 00504001, 60303001: three-phase 16 A ones on the lower car park level,
 *   a circuit of 40 A per phase shared with 21509001–03: two cars there on
 *   one phase fill it.
 */
const chargers: WiredCharger[] = [
  { id: '00504001', phases: 3, maxAmps: 16, minAmps: 6, rotation: 'ABC', circuit: 'Car park level -1' },
  ...Array.from({ length: 8 }, (_, i): WiredCharger => ({
    id: `1024500${i + 1}`,
    phases: 3,
    maxAmps: 32,
    minAmps: 6,
    rotation: ROTATIONS[i % 6]!,
  })),
  ...Array.from({ length: 8 }, (_, i): WiredCharger => ({
    id: `2150900${i + 1}`,
    phases: 1,
    maxAmps: 32,
    minAmps: 6,
    rotation: ROTATIONS[i % 3]!,
    ...(i < 3 ? { circuit: 'Car park level -1' } : {}),
  })),
  { id: '60303001', phases: 3, maxAmps: 16, minAmps: 6, rotation: 'CAB', circuit: 'Car park level -1' },
];

export const DEMO_SITE: SiteSetup = {
  distribution: 1,
  limits: { A: 90, B: 90, C: 90 },
  circuits: [{ name: 'Car park level -1', limits: { A: 40, B: 40, C: 40 } }],
  chargers,
};

/** The chargers the demo starts with a car plugged in: six three-phase 32 A ones, 6 × up to 32 A against 90 A per phase. */
export const DEMO_FIRST_SESSIONS = chargers
  .filter((c) => c.phases === 3 && c.maxAmps === 32)
  .slice(0, 6)
  .map((c) => c.id);
