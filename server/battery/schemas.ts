import { Type, type TSchema } from '@sinclair/typebox';

/** Seed 000 JSON shapes, for serialisation and the OpenAPI docs at /docs. */
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const PackItemSchema = Type.Object({
  batteryNo: Type.String({ examples: ['4017052327'] }),
  bmsNo: Nullable(Type.String({ examples: ['C2AB0000018C'] })),
  batteryType: Nullable(Type.Integer({ examples: [2] })),
});

export const VehicleDataSchema = Type.Object({
  vinCode: Type.String({ examples: ['LLV2ANB22F0000673'] }),
  batteryGroupNo: Nullable(Type.String({ examples: ['00B-00071'] })),
  batteryInfo: Type.Array(PackItemSchema),
  createTime: Type.Integer({ description: 'epoch milliseconds of the vehicle record' }),
});

export const PackDataSchema = Type.Object({
  batteryNo: Type.String({ examples: ['M15027249'] }),
  bmsNo: Nullable(Type.String({ examples: ['C02500007407'] })),
  batteryType: Nullable(Type.Integer({ examples: [2] })),
  vinCode: Nullable(Type.String({ examples: ['MMV2ARB25G0000926'] })),
  batteryGroupNo: Nullable(Type.String({ examples: ['02312-A00926'] })),
});

export const envelope = <T extends TSchema>(data: T) =>
  Type.Object({ code: Type.String({ examples: ['1000'] }), msg: Nullable(Type.String()), data: Nullable(data) });

export const ErrorEnvelope = envelope(Type.Null());

/** Documentation only: the handlers check bodies themselves (see input.ts). */
export const VehicleBodyDoc = Type.Object({
  batteryGroupNo: Type.Optional(Nullable(Type.String())),
  batteryInfo: Type.Array(Type.Object({ batteryNo: Type.String(), bmsNo: Type.String(), batteryType: Type.Integer() })),
});
export const PackBodyDoc = Type.Object({
  batteryNo: Type.Optional(Type.String()),
  bmsNo: Type.Optional(Nullable(Type.String())),
  batteryType: Type.Optional(Type.Integer()),
  vinCode: Type.Optional(Nullable(Type.String({ description: 'moves the pack into this vehicle; null takes it out' }))),
  batteryGroupNo: Type.Optional(Nullable(Type.String({ description: "sets the pack's vehicle's group number" }))),
});
