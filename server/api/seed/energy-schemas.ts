import { Type } from '@sinclair/typebox';
import { STATE_CATEGORIES } from './state-share.ts';

/** Seed 2.9: one single-key object per category, in the seed's order. */
export const StateShareSchema = Type.Object({
  result: Type.Array(
    Type.Union(STATE_CATEGORIES.map((k) => Type.Object({ [k]: Type.Number() }, { additionalProperties: false }))),
  ),
});

/** Seed 2.10: newest month first. */
export const MonthlyEnergySchema = Type.Object({ x: Type.Array(Type.String()), y: Type.Array(Type.Number()) });

/** Seed 2.11: note the seed lists `y` before `x` here. */
export const MonthlyEnergyListSchema = Type.Object({
  data: Type.Array(
    Type.Object({ charger_id: Type.String(), y: Type.Array(Type.Number()), x: Type.Array(Type.String()) }),
  ),
});

export const ChartQuery = Type.Object({
  mode: Type.Integer({ minimum: 1, maximum: 3, description: '1 yearly, 2 monthly, 3 daily' }),
  offset: Type.Integer({
    minimum: 1,
    maximum: 366,
    default: 12,
    description: 'how many periods back, up to the current one (≤ 50 years, 120 months, 366 days)',
  }),
  charger_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
});

/** Seed 3.1 */
export const ChartSchema = Type.Object({
  x: Type.Array(Type.String()),
  y: Type.Array(Type.Number()),
  total: Type.Number(),
});

/** Seed 3.2: a bare array, one entry per charger. */
export const ChartPerChargerSchema = Type.Array(
  Type.Object({
    charger_id: Type.String(),
    x: Type.Array(Type.String()),
    y: Type.Array(Type.Number()),
    total: Type.Number(),
  }),
);
