import { Type } from '@sinclair/typebox';

export const SignedReadingsParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }) });

export const SignedReadingsQuery = Type.Object({
  format: Type.Union([Type.Literal('json'), Type.Literal('ocmf'), Type.Literal('xml')], { default: 'json' }),
});

const SignedReading = Type.Object({
  timestamp: Type.String({ description: 'the instant the charger gave the reading, ISO 8601 UTC' }),
  measurand: Type.String(),
  context: Type.String({
    description: 'OCPP 1.6 ReadingContext: Transaction.Begin, Sample.Periodic, Transaction.End, …',
  }),
  location: Type.String(),
  phase: Type.Union([Type.String(), Type.Null()]),
  unit: Type.String(),
  format: Type.Literal('SignedData'),
  encoding: Type.Union([Type.Literal('OCMF'), Type.Literal('hex'), Type.Literal('base64'), Type.Literal('unknown')], {
    description: 'a hint read off the value (OCPP 1.6 has no encoding field); the value itself is never changed',
  }),
  value: Type.String({ description: 'the signed value exactly as the charger sent it' }),
});

export const SignedReadingsAnswer = Type.Object({
  transactionId: Type.Integer(),
  chargerId: Type.String(),
  items: Type.Array(SignedReading),
});
