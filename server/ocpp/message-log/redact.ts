/**
 * Secrets never reach the message log (docs/OPERATIONS.md "OCPP message log").
 * OCPP 1.6 carries them in configuration keys: ChangeConfiguration.req sets
 * one (AuthorizationKey, the Basic-auth password of security profiles 1 and 2,
 * OCPP 1.6 security whitepaper §2.3), GetConfiguration.conf may read one back
 * (§5.8; a charger should not, some do), and DataTransfer (§4.3, §5.6) carries
 * whatever a vendor puts in `data`. The Basic password of the handshake itself
 * is an HTTP header, never a frame.
 */
export const REDACTED = '[redacted]';

/** Key names taken for secrets, compared case-insensitively without separators. */
const SECRET_WORDS = [
  'password',
  'passwd',
  'secret',
  'authorizationkey',
  'authkey',
  'apikey',
  'privatekey',
  'accesstoken',
];

/** Whether a configuration key or property name names a secret (`AuthorizationKey`, `BasicAuthPassword`, `api_key`). */
export function isSecretKey(name: string): boolean {
  const bare = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SECRET_WORDS.some((w) => bare.includes(w));
}

/** Any object property named as a secret, at any depth, has its value replaced. */
function redactDeep(value: unknown, depth = 0): unknown {
  if (depth > 32 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = isSecretKey(k) ? REDACTED : redactDeep(v, depth + 1);
  return out;
}

/** A {key, value} configuration entry (ChangeConfiguration.req, GetConfiguration.conf's KeyValue). */
function redactKeyValue(entry: unknown): unknown {
  if (entry === null || typeof entry !== 'object') return entry;
  const e = entry as Record<string, unknown>;
  return typeof e.key === 'string' && isSecretKey(e.key) && 'value' in e ? { ...e, value: REDACTED } : e;
}

/**
 * DataTransfer `data` is free text: JSON is redacted by property name; other
 * text is dropped whole when the vendor's message id names a secret.
 */
function redactDataTransfer(p: Record<string, unknown>): Record<string, unknown> {
  if (typeof p.data !== 'string') return p;
  const named = [p.messageId, p.vendorId].some((v) => typeof v === 'string' && isSecretKey(v));
  if (named) return { ...p, data: REDACTED };
  try {
    const parsed = JSON.parse(p.data) as unknown;
    if (parsed !== null && typeof parsed === 'object') return { ...p, data: JSON.stringify(redactDeep(parsed)) };
  } catch {
    // plain text: kept
  }
  return p;
}

/** The payload to store for a frame of `action` (a CALL's, or the call an answer belongs to). */
export function redactPayload(action: string | null, payload: unknown): unknown {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return payload;
  let p = payload as Record<string, unknown>;
  if (action === 'ChangeConfiguration') p = redactKeyValue(p) as Record<string, unknown>;
  if (action === 'GetConfiguration' && Array.isArray(p.configurationKey))
    p = { ...p, configurationKey: p.configurationKey.map(redactKeyValue) };
  if (action === 'DataTransfer') p = redactDataTransfer(p);
  return redactDeep(p);
}
