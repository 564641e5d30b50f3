import { Type, type TSchema } from '@sinclair/typebox';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** IdToken is a CiString20 (OCPP 1.6 §7.28). */
export const IdTagString = Type.String({ minLength: 1, maxLength: 20 });

export const IdTagSchema = Type.Object({
  idTag: Type.String(),
  parentIdTag: Nullable(Type.String()),
  expiryDate: Nullable(Type.String({ format: 'date-time' })),
  blocked: Type.Boolean(),
  description: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
});

const fields = {
  parentIdTag: Type.Optional(Nullable(IdTagString)),
  expiryDate: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
  blocked: Type.Optional(Type.Boolean()),
  description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
};

export const CreateIdTagBody = Type.Object({ idTag: IdTagString, ...fields }, { additionalProperties: false });
export const PatchIdTagBody = Type.Object(fields, { additionalProperties: false, minProperties: 1 });
export const IdTagParams = Type.Object({ idTag: IdTagString });
