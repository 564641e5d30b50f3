import { Type } from '@sinclair/typebox';

const Bound = Type.String({
  description: 'site-local day YYYY-MM-DD (from: its start; to: its end, inclusive) or an ISO 8601 instant with offset',
});

/**
 * docs/PRODUCT.md §8 transactions list; sessions selected by start time, ordered by (start, id).
 * Strict: a misspelt filter (chargerId, pagesize) would otherwise answer the unfiltered list.
 */
export const TransactionQuery = Type.Object(
  {
    from: Type.Optional(Bound),
    to: Type.Optional(Bound),
    charger_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    page: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 }),
    pageSize: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    format: Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' }),
    id_tag: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'compared without case' })),
    state: Type.Optional(Type.Union([Type.Literal('running'), Type.Literal('finished')])),
    stop_reason: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'OCPP 1.6 §7.34 Reason, e.g. EVDisconnected, Local' }),
    ),
    sort: Type.Union([Type.Literal('start'), Type.Literal('duration'), Type.Literal('energy')], {
      default: 'start',
      description: 'a running session has no duration or energy yet and sorts before every finished one',
    }),
    order: Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'asc' }),
    after: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: "the previous page's `next`: keyset paging, as fast on page 5,000 as on page 1 (not with page)",
      }),
    ),
  },
  { additionalProperties: false },
);

const LocalTime = Type.String({ description: 'site-local YYYY-MM-DD HH:mm:ss' });

/** A session's own fields, as the JSON list and the CSV export present them. */
export const TransactionFields = Type.Object({
  id: Type.Integer(),
  chargerId: Type.String(),
  connectorId: Type.Integer(),
  sessionNumber: Type.Integer(),
  idTag: Type.String(),
  startedAt: LocalTime,
  stoppedAt: Type.Union([LocalTime, Type.Null()]),
  energyKWh: Type.Union([Type.Number(), Type.Null()], { description: 'null while running' }),
  minutes: Type.Union([Type.Number(), Type.Null()]),
  meterStart: Type.Integer({ description: 'Wh' }),
  meterStop: Type.Union([Type.Integer(), Type.Null()]),
  stopReason: Type.Union([Type.String(), Type.Null()]),
  startStatus: Type.String({
    description: 'idTagInfo.status answered to its StartTransaction (OCPP 1.6 §7.15); not Accepted: deauthorized',
  }),
  closeCause: Type.Union(
    [
      Type.Literal('charger'),
      Type.Literal('connector-available'),
      Type.Literal('boot'),
      Type.Literal('operator'),
      Type.Null(),
    ],
    {
      description:
        'who closed it: the charger (StopTransaction), the system for it (connector Available, reboot), an operator; null while open',
    },
  ),
  closeNote: Type.Union([Type.String(), Type.Null()], {
    description: "the operator's reason, when an operator closed it",
  }),
});

const Instant = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

export const EnergyReviewState = Type.Union([
  Type.Literal('pending'),
  Type.Literal('confirmed'),
  Type.Literal('rejected'),
]);

/** Implausible values of a session: the charger's replaced timestamps, why its readings were flagged, the review. */
export const PlausibilityFields = {
  chargerStartedAt: {
    ...Instant,
    description: "the charger's start time when it lay beyond the allowed clock skew and the receive time replaced it",
  },
  chargerStoppedAt: { ...Instant, description: "the charger's stop time when the receive time replaced it" },
  meterAnomaly: Type.Boolean(),
  anomalyReasons: Type.Array(Type.String(), {
    description:
      'negative_meter_start, negative_meter_stop, meter_stop_below_start, register_backwards, energy_above_max_power',
  }),
  energyReview: Type.Union([EnergyReviewState, Type.Null()], {
    description:
      'flagged energy is out of the totals while pending or rejected; POST /api/transactions/{id}/energy/confirm counts it',
  }),
};

export const EnergyReviewAnswer = Type.Object({
  id: Type.Integer(),
  energyReview: EnergyReviewState,
  energyKWh: Type.Number(),
  anomalyReasons: Type.Array(Type.String()),
  counted: Type.Boolean({ description: 'whether the energy is in the totals and rollups now' }),
  reviewedAt: Type.String({ format: 'date-time' }),
  reviewedBy: Type.String(),
  changed: Type.Boolean({ description: 'false when the same decision had been taken before' }),
});

export const TransactionItem = Type.Object({
  ...TransactionFields.properties,
  ...PlausibilityFields,
  signedReadings: Type.Integer({
    minimum: 0,
    description:
      'SignedData meter readings (OCPP 1.6 §7.31, e.g. OCMF) kept for the session: GET /api/transactions/{id}/signed-readings',
  }),
});
export const TransactionIdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });

/** POST /api/transactions/<id>/close: an operator closes a session the charger never stopped. */
export const CloseTransactionBody = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 500, description: 'why, for the audit log and the record' })) },
  { additionalProperties: false },
);

export const TransactionPage = Type.Object({
  page: Type.Integer(),
  pageSize: Type.Integer(),
  total: Type.Integer({ description: 'sessions the filter holds' }),
  totalKWh: Type.Number({ description: 'energy of the finished sessions the filter holds, kWh' }),
  next: Type.Union([Type.String(), Type.Null()], {
    description: 'pass as `after` for the page after this one; null on the last page',
  }),
  items: Type.Array(TransactionItem),
});

/** CSV columns, in order; same meaning as the JSON fields. */
export const CSV_COLUMNS = [
  'id',
  'charger_id',
  'connector_id',
  'session_number',
  'id_tag',
  'started_at',
  'stopped_at',
  'energy_kwh',
  'minutes',
  'meter_start',
  'meter_stop',
  'stop_reason',
] as const;
