import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { PHASE_CURRENT } from '../../../contracts/settings.ts';

/**
 * Circuits (docs/PRODUCT.md §7): the REST shapes, imported by the routes and,
 * as types, by the dashboard (web/src/api/circuits.ts).
 */
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });

/**
 * A circuit id or null (the site), as a body field. One schema with a type
 * list, not a union: Ajv's type coercion (on app-wide) turns a 0 that fails
 * the integer branch of a union into null, so `0` would silently mean "the site".
 */
export const CircuitRefSchema = (description: string) =>
  Type.Unsafe<number | null>({ type: ['integer', 'null'], minimum: 1, maximum: 2147483647, description });

/** A phase's limit, A: the same range as the site's intmaxcurrenta/b/c (contracts/settings.ts PHASE_CURRENT); fractions allowed. */
const Limit = Type.Number({ minimum: PHASE_CURRENT.min, maximum: PHASE_CURRENT.max });
const Name = Type.String({ minLength: 1, maxLength: 100, description: 'unique; no leading or trailing spaces' });

export const CircuitLimitsSchema = Type.Object(
  { A: Limit, B: Limit, C: Limit },
  { additionalProperties: false, description: 'amperes per site phase' },
);

export const CircuitSchema = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  parentId: Nullable(Type.Integer({ description: 'null: directly under the site' })),
  limits: Type.Object({ A: Type.Number(), B: Type.Number(), C: Type.Number() }),
  chargerIds: Type.Array(Type.String(), { description: 'the chargers hanging directly from this circuit' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const CreateCircuitBody = Type.Object(
  {
    name: Name,
    parentId: Type.Optional(CircuitRefSchema('the circuit above; null or absent: the site')),
    limits: CircuitLimitsSchema,
  },
  { additionalProperties: false },
);

export const PatchCircuitBody = Type.Object(
  {
    name: Type.Optional(Name),
    parentId: Type.Optional(CircuitRefSchema('the circuit above; null: the site')),
    limits: Type.Optional(Type.Partial(CircuitLimitsSchema, { additionalProperties: false, minProperties: 1 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const CircuitParams = Type.Object({ id: Id });

export type Circuit = Static<typeof CircuitSchema>;
export type CreateCircuit = Static<typeof CreateCircuitBody>;
export type PatchCircuit = Static<typeof PatchCircuitBody>;
