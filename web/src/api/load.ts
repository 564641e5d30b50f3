import type { Static } from '@sinclair/typebox';
import type { ChargerSchema } from '../../../server/api/chargers/schemas.ts';
import type {
  CircuitLoadSchema,
  LoadSnapshotSchema,
  PhaseLoadSchema,
  SessionLoadSchema,
} from '../../../server/api/load/schemas.ts';
import { get } from './client.ts';

/**
 * Site load management (docs/PRODUCT.md §7), typed by the server's TypeBox
 * schemas (server/api/load/schemas.ts, which are held equal to
 * contracts/load.ts LoadSnapshot): `GET /api/load` answers what the live
 * `load.changed` event carries.
 */
export type LoadSnapshot = Static<typeof LoadSnapshotSchema>;
export type PhaseLoad = Static<typeof PhaseLoadSchema>;
export type SessionLoad = Static<typeof SessionLoadSchema>;
export type CircuitLoad = Static<typeof CircuitLoadSchema>;

/** What the Load page shows of a charger's wiring (server/api/chargers/schemas.ts ChargerSchema). */
export type ChargerWiring = Pick<
  Static<typeof ChargerSchema>,
  | 'id'
  | 'registration'
  | 'maxPhase'
  | 'minCurrent'
  | 'maxCurrent'
  | 'phaseRotation'
  | 'effectiveRotation'
  | 'phases'
  | 'circuitId'
  | 'online'
>;

export const loadApi = {
  snapshot: (signal?: AbortSignal) => get<LoadSnapshot>('/api/load', undefined, signal),
  /** Every charger's wiring; GET /api/chargers is open to viewers, unlike /api/circuits (admin only). */
  wiring: () => get<ChargerWiring[]>('/api/chargers'),
};
