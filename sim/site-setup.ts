import type { FastifyInstance } from 'fastify';
import type { PerPhase, PhaseRotation } from '../contracts/load.ts';

/** A simulated charger as it is wired on the site (docs/PRODUCT.md §7), and what the simulator must make of it. */
export interface WiredCharger {
  id: string;
  /** Phases wired (maxPhase); the simulated charger has as many. */
  phases: 1 | 3;
  /** maxCurrent / minCurrent, A per phase: the simulated charger offers within them. */
  maxAmps: number;
  minAmps: number;
  /** Which site phases its L1, L2, L3 are wired to. */
  rotation: PhaseRotation;
  /** The circuit it hangs from, by name; absent: directly under the site. */
  circuit?: string;
}

export interface SiteSetup {
  /** blncurrentdistribution. */
  distribution: 0 | 1;
  /** intmaxcurrenta/b/c, A per phase. */
  limits: PerPhase;
  circuits: { name: string; limits: PerPhase }[];
  chargers: WiredCharger[];
}

/** The session headers of a user logged in through the API, with the dashboard's own Origin (what app.inject sends as Host). */
export async function loginHeaders(
  app: FastifyInstance,
  username: string,
  password: string,
): Promise<Record<string, string>> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login as ${username}: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'chargeops_session');
  if (!cookie) throw new Error('login answered no session cookie');
  return { cookie: `chargeops_session=${cookie.value}`, origin: 'http://localhost' };
}

/**
 * Writes the site's load settings, circuits and wiring through the REST API,
 * as an admin would on the Settings and Devices pages, so the load
 * controller hears of each change (settings.changed, circuit.changed,
 * charger.changed). The chargers must be registered already. A circuit whose
 * name exists is reused with the limits given.
 */
export async function applySite(app: FastifyInstance, headers: Record<string, string>, site: SiteSetup): Promise<void> {
  const call = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => {
    const res = await app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
    if (res.statusCode >= 300) throw new Error(`${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json() as unknown;
  };
  const { A, B, C } = site.limits;
  await call('POST', '/api/basic/settings/', {
    blncurrentdistribution: site.distribution,
    intmaxcurrenta: A,
    intmaxcurrentb: B,
    intmaxcurrentc: C,
  });
  const existing = (await call('GET', '/api/circuits')) as { id: number; name: string }[];
  const circuitIds = new Map<string, number>();
  for (const circuit of site.circuits) {
    const found = existing.find((e) => e.name === circuit.name);
    const row = found
      ? ((await call('PATCH', `/api/circuits/${found.id}`, { limits: circuit.limits })) as { id: number })
      : ((await call('POST', '/api/circuits', { name: circuit.name, limits: circuit.limits })) as { id: number });
    circuitIds.set(circuit.name, row.id);
  }
  for (const c of site.chargers) {
    const circuitId = c.circuit === undefined ? null : circuitIds.get(c.circuit);
    if (circuitId === undefined) throw new Error(`charger ${c.id}: no circuit named ${c.circuit}`);
    await call('PATCH', `/api/chargers/${encodeURIComponent(c.id)}`, {
      maxPhase: c.phases,
      minCurrent: c.minAmps,
      maxCurrent: c.maxAmps,
      phaseRotation: c.rotation,
      circuitId,
    });
  }
}
