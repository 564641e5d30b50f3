import { Type, type TSchema } from '@sinclair/typebox';
import { CircuitRefSchema } from '../circuits/schemas.ts';
import { PHASE_ROTATIONS, SITE_PHASES, type PhaseRotation, type SitePhase } from '../../../contracts/load.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Time = Nullable(Type.String({ format: 'date-time' }));
export const RegistrationSchema = Type.Union([
  Type.Literal('Accepted'),
  Type.Literal('Pending'),
  Type.Literal('Rejected'),
]);

/** Which site phases a charger's L1, L2, L3 are wired to (contracts/load.ts). */
export const phaseRotationSchema = (description?: string) =>
  Type.Unsafe<PhaseRotation>({ type: 'string', enum: [...PHASE_ROTATIONS], ...(description ? { description } : {}) });
const SitePhaseSchema = Type.Unsafe<SitePhase>({ type: 'string', enum: [...SITE_PHASES] });

export const ConnectorSchema = Type.Object({
  connectorId: Type.Integer(),
  status: Type.String(),
  errorCode: Type.String(),
  info: Nullable(Type.String()),
  vendorId: Nullable(Type.String()),
  vendorErrorCode: Nullable(Type.String()),
  statusAt: Type.String({ format: 'date-time', description: 'its last StatusNotification' }),
  statusSince: Type.String({
    format: 'date-time',
    description: 'since when it has had this status and error code (connector 0: the charger itself, OCPP 1.6 §4.9)',
  }),
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
  maxPhase: Type.Integer({
    description: 'phases wired, 1 to 3: a charger loads the first maxPhase phases of its rotation',
  }),
  phaseRotation: Nullable(phaseRotationSchema("the charger's own rotation; null: the site's vchpowersequence")),
  effectiveRotation: phaseRotationSchema('phaseRotation, or the site default (vchpowersequence) when it is null'),
  phases: Type.Array(SitePhaseSchema, {
    description: 'the site phases the charger loads (contracts/load.ts loadedPhases)',
  }),
  circuitId: Nullable(
    Type.Integer({ description: 'the circuit the charger hangs from; null: directly under the site' }),
  ),
  state: Nullable(Type.String()),
  transitionalState: Nullable(Type.String()),
  effectiveState: Type.String(),
  lastCommand: Nullable(Type.String()),
  online: Type.Boolean(),
  connected: Type.Boolean(),
  lastSeenAt: Time,
  lastBootAt: Time,
  clockSkewMs: Nullable(
    Type.Integer({
      description:
        "the charger's clock minus ours, ms (positive: ahead), from its least-delayed timestamped message of its current connection",
    }),
  ),
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
  // One schema (enum with null) rather than a union, so a bad value is named by one plain message.
  phaseRotation: Type.Optional(
    Type.Unsafe<PhaseRotation | null>({
      enum: [...PHASE_ROTATIONS, null],
      description: `one of ${PHASE_ROTATIONS.join(', ')}, or null for the site's vchpowersequence`,
    }),
  ),
  circuitId: Type.Optional(CircuitRefSchema('the circuit the charger hangs from; null: directly under the site')),
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
