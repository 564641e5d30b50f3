import { IDENTITY } from './admission.ts';

export type UpgradeTarget = { identity: string } | { fault: string };

/**
 * The charge point a handshake names, read the way ocpp-rpc reads it (the
 * last segment of the URL path, percent-decoded; OCPP-J 1.6 §3.1.1 puts the
 * identity there) but without its throws: ocpp-rpc calls decodeURIComponent
 * unguarded, so `GET /ocpp/%` would reject its promise. Checked here before
 * the handshake reaches it, the identity it then decodes is one we accept.
 */
export function upgradeTarget(url: string | undefined): UpgradeTarget {
  let parts: string[];
  try {
    parts = new URL(`http://localhost${url || '/'}`).pathname.split('/');
  } catch {
    return { fault: 'Malformed URL' };
  }
  const last = parts.pop()!;
  let identity: string;
  try {
    identity = decodeURIComponent(last);
  } catch {
    return { fault: 'Malformed percent-encoding in the charge point id' };
  }
  if (parts.join('/') !== '/ocpp' || !IDENTITY.test(identity)) return { fault: 'Expected /ocpp/<chargePointId>' };
  return { identity };
}
