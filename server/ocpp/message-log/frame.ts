import type { MessageType } from '../../../db/schema/index.ts';

/** One OCPP-J frame as the message log reads it (OCPP-J 1.6 §4.1.3, §4.2). */
export interface ParsedFrame {
  type: MessageType;
  messageId: string | null;
  /** A CALL's action; answers get their call's from the log's pending calls. */
  action: string | null;
  payload: unknown;
  errorCode: string | null;
}

const TYPES: Record<number, MessageType> = { 2: 'CALL', 3: 'CALLRESULT', 4: 'CALLERROR' };

/** Reads a frame without judging it (ocpp-rpc does that); anything not an RPC array is INVALID with no payload. */
export function parseFrame(text: string): ParsedFrame {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return invalid();
  }
  if (!Array.isArray(parsed)) return invalid();
  const type = typeof parsed[0] === 'number' ? TYPES[parsed[0]] : undefined;
  const messageId = typeof parsed[1] === 'string' ? parsed[1] : null;
  if (!type || messageId === null) return { ...invalid(), messageId };
  if (type === 'CALL')
    return {
      type,
      messageId,
      action: typeof parsed[2] === 'string' ? parsed[2] : null,
      payload: parsed[3] ?? null,
      errorCode: null,
    };
  if (type === 'CALLRESULT') return { type, messageId, action: null, payload: parsed[2] ?? null, errorCode: null };
  const errorCode = typeof parsed[2] === 'string' ? parsed[2] : null;
  return {
    type,
    messageId,
    action: null,
    payload: { errorCode, errorDescription: parsed[3] ?? null, errorDetails: parsed[4] ?? null },
    errorCode,
  };
}

function invalid(): ParsedFrame {
  return { type: 'INVALID', messageId: null, action: null, payload: null, errorCode: null };
}
