import { Type, type Static } from '@sinclair/typebox';
import type { Alert } from '../../../contracts/alerts.ts';

const Nullable = <T extends ReturnType<typeof Type.String> | ReturnType<typeof Type.Integer>>(t: T) =>
  Type.Union([t, Type.Null()]);

export const AlertQuery = Type.Object(
  {
    state: Type.Union([Type.Literal('open'), Type.Literal('all')], {
      default: 'all',
      description: 'open: not cleared yet; all: every alert',
    }),
    page: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 }),
    pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  },
  { additionalProperties: false },
);

export const AlertIdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) });

/** An acknowledgement takes no fields (the operator is the caller); a body may be left out. */
export const AckBody = Type.Object({}, { additionalProperties: false });

/** One alert the system raised (contracts/alerts.ts `Alert`, checked equal below). */
export const AlertItem = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  kind: Type.String({
    description:
      'charger.faulted, connector.error, charger.offline, command.failed, firmware.failed, diagnostics.failed, meter_anomaly, clock_skew, load.over-limit, load.profile-rejected, load.failsafe-too-much, load.overcommitted, load.charger-offline',
  }),
  severity: Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('critical')]),
  chargerId: Nullable(Type.String()),
  connectorId: Nullable(Type.Integer()),
  transactionId: Nullable(Type.Integer()),
  message: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
  clearedAt: Nullable(Type.String({ format: 'date-time', description: 'when the condition ended; null: open' })),
  acknowledgedAt: Nullable(Type.String({ format: 'date-time' })),
  acknowledgedBy: Nullable(Type.String()),
});

export const AlertPage = Type.Object({
  page: Type.Integer(),
  pageSize: Type.Integer(),
  total: Type.Integer(),
  /** Open and not acknowledged, whatever the filter: the dashboard's bell. */
  unacknowledged: Type.Integer(),
  items: Type.Array(AlertItem),
});

// The schema and the shared contract describe one shape: either drifting is a type error.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape: Same<Static<typeof AlertItem>, Alert> = true;
void sameShape;
