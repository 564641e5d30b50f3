/**
 * What a chargeops server must know before the simulated chargers can charge:
 * each charger id with its Basic-auth secret (`POST /api/chargers`; unknown
 * ids are refused at the handshake) and the drivers' id tags (`POST
 * /api/id-tags`; an unknown tag is answered Invalid, OCPP 1.6 §4.1, and no
 * session starts). Either printed as ready-to-run curl lines, or done through
 * the REST API with an admin token.
 */
export interface RegistrationPlan {
  /** http(s)://host:port of the server's REST API. */
  apiUrl: string;
  chargers: { id: string; secret: string }[];
  idTags: readonly string[];
}

export interface RegistrationResult {
  created: string[];
  /** Answered 409: registered before (with whatever secret was given then). */
  existing: string[];
}

const DESCRIPTION = 'simulated (npm run simulate)';

/** The REST API beside an OCPP endpoint: ws://host:port/ocpp → http://host:port. */
export function apiUrlFor(ocppUrl: string): string {
  const u = new URL(ocppUrl);
  if (u.protocol !== 'ws:' && u.protocol !== 'wss:')
    throw new Error(`--url must be ws:// or wss://, not ${u.protocol}`);
  return `${u.protocol === 'wss:' ? 'https:' : 'http:'}//${u.host}`;
}

function requests(plan: RegistrationPlan) {
  return [
    ...plan.chargers.map((c) => ({
      name: `charger ${c.id}`,
      path: '/api/chargers',
      body: { id: c.id, secret: c.secret, description: DESCRIPTION },
    })),
    ...plan.idTags.map((idTag) => ({
      name: `id tag ${idTag}`,
      path: '/api/id-tags',
      body: { idTag, description: DESCRIPTION },
    })),
  ];
}

/** POSIX shell single-quoting: safe for any secret or id. */
export function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** The curl lines that register everything, with an admin API token in $CHARGEOPS_TOKEN. */
export function curlLines(plan: RegistrationPlan): string[] {
  return requests(plan).map(
    (r) =>
      `curl -sS -X POST ${shellQuote(plan.apiUrl + r.path)} -H "Authorization: Bearer $CHARGEOPS_TOKEN" -H 'Content-Type: application/json' -d ${shellQuote(JSON.stringify(r.body))}`,
  );
}

/**
 * Registers everything through the REST API. Idempotent: a 409 (exists
 * already) is fine. Any other answer stops with its status and body, since
 * a charger the server does not know would only be refused at the handshake.
 */
export async function register(
  plan: RegistrationPlan,
  token: string,
  fetchFn: typeof fetch = fetch,
): Promise<RegistrationResult> {
  const result: RegistrationResult = { created: [], existing: [] };
  for (const r of requests(plan)) {
    const res = await fetchFn(plan.apiUrl + r.path, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(r.body),
    });
    const text = await res.text();
    if (res.status === 201) result.created.push(r.name);
    else if (res.status === 409) result.existing.push(r.name);
    else throw new Error(`registering ${r.name}: ${plan.apiUrl}${r.path} answered ${res.status} ${text.slice(0, 300)}`);
  }
  return result;
}
