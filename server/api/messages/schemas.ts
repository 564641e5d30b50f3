import { Type, type TSchema } from '@sinclair/typebox';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/**
 * GET /api/chargers/:id/messages filters (docs/OPERATIONS.md "OCPP message log").
 * Strict: a misspelt filter would otherwise answer the unfiltered log.
 */
export const MessageQuery = Type.Object(
  {
    action: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: "a CALL's action; answers carry their call's" }),
    ),
    direction: Type.Optional(
      Type.Union([Type.Literal('in'), Type.Literal('out')], { description: 'in: from the charger; out: to it' }),
    ),
    errors: Type.Optional(Type.Boolean({ description: 'true: only CALLERROR frames; false: none of them' })),
    messageId: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, description: 'a call and its answer share it (OCPP-J 1.6 §4.1.4)' }),
    ),
    before: Type.Optional(
      Type.Integer({ minimum: 1, description: 'keyset: frames older than this id (nextBefore of the previous page)' }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
  },
  { additionalProperties: false },
);

export const MessageParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/** One frame of the log, newest first. */
export const MessageItem = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
  messageType: Type.Union([
    Type.Literal('CALL'),
    Type.Literal('CALLRESULT'),
    Type.Literal('CALLERROR'),
    Type.Literal('INVALID'),
  ]),
  messageId: Nullable(Type.String()),
  action: Nullable(Type.String({ description: "an answer's is its call's; null when the call was not logged" })),
  payload: Type.Unknown({
    description:
      "the CALL's or CALLRESULT's payload, a CALLERROR's {errorCode, errorDescription, errorDetails}; secrets redacted; null when above 64 KiB or unparsable",
  }),
  errorCode: Nullable(Type.String()),
  durationMs: Nullable(Type.Integer({ description: "an answer's: milliseconds since its call" })),
  size: Type.Integer({ description: "the frame's length in characters" }),
});

export const MessagePage = Type.Object({
  items: Type.Array(MessageItem),
  nextBefore: Nullable(Type.Integer({ description: 'pass as before for the next (older) page; null: no more' })),
});
