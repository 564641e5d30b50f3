import { Type, type Static } from '@sinclair/typebox';
import { SESSION_LOAD_STATES, SITE_PHASES, type LoadSnapshot } from '../../../contracts/load.ts';

/**
 * `GET /api/load` (docs/LOAD.md "Visible"): the TypeBox form of
 * contracts/load.ts LoadSnapshot, which the dashboard imports. The type
 * assertions at the end keep the two one definition: they stop compiling
 * when either side changes alone.
 */
const Phase = Type.Union(SITE_PHASES.map((p) => Type.Literal(p)));

export const PhaseLoadSchema = Type.Object({
  limit: Type.Number({ description: 'the limit, A' }),
  allowed: Type.Number({
    description: 'the sum of the allowances on the phase (unmanaged sessions at their maxCurrent), A',
  }),
  measured: Type.Number({ description: 'the sum of the last measured Current.Import on the phase, A' }),
});

const PhaseLoads = Type.Object({ A: PhaseLoadSchema, B: PhaseLoadSchema, C: PhaseLoadSchema });

export const SessionLoadSchema = Type.Object({
  chargerId: Type.String(),
  connectorId: Type.Integer(),
  transactionId: Type.Integer(),
  phases: Type.Array(Phase, { description: 'site phases the session loads' }),
  allowed: Type.Number({ description: 'the allowance per phase, A (0 while waiting; maxCurrent when unmanaged)' }),
  measured: Type.Union(
    [Type.Partial(Type.Object({ A: Type.Number(), B: Type.Number(), C: Type.Number() })), Type.Null()],
    {
      description: 'the last measured current per loaded phase, A; null without a measurement',
    },
  ),
  state: Type.Union(SESSION_LOAD_STATES.map((s) => Type.Literal(s))),
  circuitId: Type.Union([Type.Integer(), Type.Null()]),
});

export const CircuitLoadSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  parentId: Type.Union([Type.Integer(), Type.Null()]),
  phases: PhaseLoads,
});

export const LoadSnapshotSchema = Type.Object({
  enabled: Type.Boolean({ description: 'blncurrentdistribution is 1 and chargeops steers' }),
  at: Type.String({ format: 'date-time', description: 'when this allocation was computed' }),
  site: PhaseLoads,
  circuits: Type.Array(CircuitLoadSchema),
  sessions: Type.Array(SessionLoadSchema),
});

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same: Same<Static<typeof LoadSnapshotSchema>, LoadSnapshot> = true;
void same;
