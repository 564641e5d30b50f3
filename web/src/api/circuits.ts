import type { Circuit, CreateCircuit, PatchCircuit } from '../../../server/api/circuits/schemas.ts';
import { del, get, patch, post } from './client.ts';

/** Circuits (docs/PRODUCT.md §7), typed by the server's TypeBox schemas (server/api/circuits/schemas.ts); admin only. */
export type { Circuit, CreateCircuit, PatchCircuit };

/** What a 409 CIRCUIT_IN_USE says hangs from the circuit (its `details`). */
export interface CircuitInUse {
  chargerIds: string[];
  circuitIds: number[];
}

export const circuitsApi = {
  list: () => get<Circuit[]>('/api/circuits'),
  create: (body: CreateCircuit) => post<Circuit>('/api/circuits', body),
  update: (id: number, body: PatchCircuit) => patch<Circuit>(`/api/circuits/${id}`, body),
  remove: (id: number) => del<void>(`/api/circuits/${id}`),
};
