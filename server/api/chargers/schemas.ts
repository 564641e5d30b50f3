import { Type, type TSchema } from '@sinclair/typebox';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Time = Nullable(Type.String({ format: 'date-time' }));
export const RegistrationSchema = Type.Union([Type.Literal('Accepted'), Type.Literal('Pending'), Type.Literal('Rejected')]);

export const ConnectorSchema = Type.Object({
  connectorId: Type.Integer(),
  status: Type.String(),
  errorCode: Type.String(),
  info: Nullable(Type.String()),
  vendorErrorCode: Nullable(Type.String()),
  statusAt: Type.String({ format: 'date-time' }),
});

/** A charger as the API shows it: registration, metadata, boot data and live state. Never the secret hash. */
export const ChargerSchema = Type.Object({
  id: Type.String(),
  registration: RegistrationSchema,
  hasSecret: Type.Boolean(),
  description: Nullable(Type.String()),
  vendor: Nullable(Type.String()),
  model: Nullable(Type.String()),
  serialNumber: Nullable(Type.String()),
  chargeBoxSerialNumber: Nullable(Type.String()),
  firmwareVersion: Nullable(Type.String()),
  meterType: Nullable(Type.String()),
  meterSerialNumber: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  mac: Nullable(Type.String()),
  socketType: Type.String(),
  maxCurrent: Type.Number(),
  minCurrent: Type.Number(),
  maxPhase: Type.Integer(),
  state: Nullable(Type.String()),
  transitionalState: Nullable(Type.String()),
  effectiveState: Type.String(),
  lastCommand: Nullable(Type.String()),
  online: Type.Boolean(),
  connected: Type.Boolean(),
  lastSeenAt: Time,
  lastBootAt: Time,
  clockSkewMs: Nullable(Type.Integer({ description: "the charger's clock minus ours, ms (positive: ahead), from its least-delayed timestamped message of its current connection" })),
  clockSkewAt: Time,
  heartbeatInterval: Type.Integer(),
  firmwareStatus: Nullable(Type.String()),
  diagnosticsStatus: Nullable(Type.String()),
  energyWhTotal: Type.Number(),
  minutesTotal: Type.Number(),
  sessionCounter: Type.Integer(),
  connectors: Type.Array(ConnectorSchema),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const metadata = {
  description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
  ip: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  mac: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  socketType: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
  maxCurrent: Type.Optional(Type.Number({ minimum: 0, maximum: 1000 })),
  minCurrent: Type.Optional(Type.Number({ minimum: 0, maximum: 1000 })),
  maxPhase: Type.Optional(Type.Integer({ minimum: 1, maximum: 3 })),
};

/** The Basic-auth secret (OCPP security profile 1): stored scrypt-hashed, never answered. */
const Secret = Type.String({ minLength: 8, maxLength: 64 });

export const CreateChargerBody = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9._:-]{1,64}$' }),
    secret: Secret,
    registration: Type.Optional(RegistrationSchema),
    ...metadata,
  },
  { additionalProperties: false },
);

export const PatchChargerBody = Type.Object(
  { secret: Type.Optional(Secret), registration: Type.Optional(RegistrationSchema), ...metadata },
  { additionalProperties: false, minProperties: 1 },
);

export const ChargerParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
