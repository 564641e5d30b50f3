import { Type } from '@sinclair/typebox';
import { TransactionItem } from './schemas.ts';

const Iso = Type.String({ format: 'date-time', description: 'ISO 8601 UTC' });

/** A command sent to the session's charger while it ran (command_log, docs/PRODUCT.md §5). */
export const SessionCommand = Type.Object({
  id: Type.Integer(),
  action: Type.String(),
  requestedBy: Type.String({ description: 'a user, or system:load for the load controller' }),
  requestedAt: Iso,
  outcome: Type.String({ description: 'pending, answered, error, timeout, not_connected' }),
  status: Type.Union([Type.String(), Type.Null()], { description: "the charger's answer status, when it gave one" }),
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
});

/** GET /api/transactions/<id>: the session, its allowances and the commands sent during it. */
export const SessionAnswer = Type.Object({
  ...TransactionItem.properties,
  running: Type.Boolean(),
  startedAtIso: Iso,
  stoppedAtIso: Type.Union([Iso, Type.Null()]),
  durationSeconds: Type.Number({ description: 'until the stop, or until now while running' }),
  liveEnergyKWh: Type.Union([Type.Number(), Type.Null()], { description: 'energy so far while running' }),
  livePowerKW: Type.Union([Type.Number(), Type.Null()]),
  allowances: Type.Array(Type.Object({ at: Iso, limitA: Type.Number({ description: 'A per phase' }) }), {
    description: "the load controller's accepted TxProfiles for this transaction (docs/LOAD.md), oldest first",
  }),
  commands: Type.Array(SessionCommand, { description: 'oldest first, at most 500' }),
});

export const MeterValuesQuery = Type.Object(
  {
    points: Type.Optional(
      Type.Integer({
        minimum: 2,
        maximum: 20_000,
        description:
          'at most this many samples per measurand, phase and unit: a longer series keeps its first and last sample and its lowest and highest per time bucket',
      }),
    ),
  },
  { additionalProperties: false },
);

export const MeterSample = Type.Object({
  timestamp: Iso,
  measurand: Type.String({ description: 'OCPP 1.6 §7.31 Measurand, e.g. Power.Active.Import, Current.Import, SoC' }),
  phase: Type.Union([Type.String(), Type.Null()]),
  unit: Type.String({ description: 'W, kW, Wh, kWh, A, Percent, …' }),
  value: Type.Number(),
  context: Type.String(),
});

/** GET /api/transactions/<id>/meter-values: the session's numeric samples, oldest first. */
export const MeterValuesAnswer = Type.Object({
  transactionId: Type.Integer(),
  chargerId: Type.String(),
  meterStart: Type.Integer({ description: 'Wh, the register at the start' }),
  stored: Type.Integer({ description: 'numeric samples stored for the session (before downsampling)' }),
  downsampled: Type.Boolean(),
  items: Type.Array(MeterSample),
});
