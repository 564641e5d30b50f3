import { Type } from '@sinclair/typebox';

const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Integer>>(t: T) =>
  Type.Union([t, Type.Null()]);

export const AlertQuery = Type.Object({
  page: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 }),
  pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
});

/** One alert the system raised (the start of the alert console). */
export const AlertItem = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  kind: Type.String({
    description:
      'meter_anomaly, clock_skew, load.over-limit, load.profile-rejected, load.failsafe-too-much, load.overcommitted',
  }),
  severity: Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('critical')]),
  chargerId: Nullable(Type.String()),
  transactionId: Nullable(Type.Integer()),
  message: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
  acknowledgedAt: Nullable(Type.String({ format: 'date-time' })),
  acknowledgedBy: Nullable(Type.String()),
});

export const AlertPage = Type.Object({
  page: Type.Integer(),
  pageSize: Type.Integer(),
  total: Type.Integer(),
  items: Type.Array(AlertItem),
});
