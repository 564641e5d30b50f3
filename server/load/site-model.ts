import type { FastifyInstance } from 'fastify';
import {
  loadedPhases,
  PHASE_ROTATIONS,
  type PerPhase,
  type PhaseRotation,
  type SitePhase,
} from '../../contracts/load.ts';
import type { CircuitLimits } from './types.ts';

/** A charger as the load controller sees it: its wiring resolved to site phases. */
export interface SiteCharger {
  id: string;
  maxPhase: number;
  min: number;
  max: number;
  /** Its own phaseRotation, or the site's vchpowersequence. */
  rotation: PhaseRotation;
  /** The site phases it loads: the first maxPhase of its rotation. */
  phases: SitePhase[];
  circuitId: number | null;
  online: boolean;
  /** Connectors that reported a status (at least 1 counts; safe-default.ts divides by connectors). */
  connectors: number;
  /** Their ids, when read from the database (the controller reads the site again on a status from another). */
  connectorIds?: ReadonlySet<number>;
}

export interface SiteCircuit extends CircuitLimits {
  name: string;
}

/** An open session on an admitted charger. */
export interface SiteSession {
  /** `${chargerId}/${connectorId}` (server/load/types.ts SessionDemand.key). */
  key: string;
  transactionId: number;
  chargerId: string;
  connectorId: number;
  startedAt: Date;
  /** The connector's last StatusNotification status; null before the first. */
  status: string | null;
  /** Whether the session may draw current now (mayDraw). */
  drawing: boolean;
}

/** The site at one moment: settings, wiring, circuits, open sessions (docs/LOAD.md "Site model"). */
export interface SiteModel {
  /** blncurrentdistribution = 1. */
  enabled: boolean;
  /** vchpowersequence: the rotation of chargers without their own. */
  rotation: PhaseRotation;
  /** intmaxcurrenta/b/c, A per phase. */
  limits: PerPhase;
  chargers: Map<string, SiteCharger>;
  circuits: SiteCircuit[];
  sessions: SiteSession[];
}

/**
 * Connector statuses in which an open session cannot draw (OCPP 1.6 §4.9,
 * §7.7 ChargePointStatus): Finishing (the transaction is ending), Faulted
 * and Unavailable. Every other status may draw: Charging, SuspendedEV,
 * SuspendedEVSE, and the statuses of a session that has just started and
 * whose Charging has not come yet (a charger may deliver current from its
 * StartTransaction on): Preparing, none at all, Reserved (a start on a
 * reservation), and Available, which a charger that skips Preparing still
 * shows; an open session on an Available connector started after it, since
 * Available closes the sessions open before it (server/ocpp/close-sessions.ts).
 */
const NOT_DRAWING = new Set(['Finishing', 'Faulted', 'Unavailable']);

export function mayDraw(status: string | null): boolean {
  return status === null || !NOT_DRAWING.has(status);
}

export function sessionKey(chargerId: string, connectorId: number): string {
  return `${chargerId}/${connectorId}`;
}

/** Deletes from a map by session key every entry of the charger's connectors. */
export function forgetChargerKeys(map: Map<string, unknown>, chargerId: string): void {
  for (const key of map.keys()) if (key.startsWith(`${chargerId}/`)) map.delete(key);
}

function rotationOf(value: string): PhaseRotation {
  return (PHASE_ROTATIONS as readonly string[]).includes(value) ? (value as PhaseRotation) : 'ABC';
}

/** Reads the site from the database: one settings row and three small queries. */
export async function loadSiteModel(app: FastifyInstance): Promise<SiteModel> {
  const [settings, chargerRows, circuitRows, sessionRows] = await Promise.all([
    app.repos.settings.get(),
    app.repos.loadSite.chargers(),
    app.repos.loadSite.circuits(),
    app.repos.loadSite.openSessions(),
  ]);
  const siteRotation = rotationOf(settings.vchpowersequence);
  const chargers = new Map<string, SiteCharger>();
  for (const c of chargerRows) {
    const rotation = c.phaseRotation ?? siteRotation;
    chargers.set(c.id, {
      id: c.id,
      maxPhase: c.maxPhase,
      min: c.minCurrent,
      max: c.maxCurrent,
      rotation,
      phases: loadedPhases(rotation, c.maxPhase),
      circuitId: c.circuitId,
      online: c.online,
      connectors: c.connectorIds.length,
      connectorIds: new Set(c.connectorIds),
    });
  }
  return {
    enabled: settings.blncurrentdistribution === 1,
    rotation: siteRotation,
    limits: { A: settings.intmaxcurrenta, B: settings.intmaxcurrentb, C: settings.intmaxcurrentc },
    chargers,
    circuits: circuitRows.map((c) => ({
      id: c.id,
      name: c.name,
      parentId: c.parentId,
      limits: { A: c.limitA, B: c.limitB, C: c.limitC },
    })),
    sessions: siteSessions(chargers, sessionRows),
  };
}

/**
 * The same site with its open sessions read again, the rest kept: what a
 * start, a stop or a status of a known connector changes. At 10,000
 * chargers the whole site is 10,000 rows and their connectors; the open
 * sessions are what charges now.
 */
export async function reloadSessions(app: FastifyInstance, model: SiteModel): Promise<SiteModel> {
  return { ...model, sessions: siteSessions(model.chargers, await app.repos.loadSite.openSessions()) };
}

function siteSessions(
  chargers: Map<string, SiteCharger>,
  rows: Awaited<ReturnType<FastifyInstance['repos']['loadSite']['openSessions']>>,
): SiteSession[] {
  const sessions: SiteSession[] = [];
  for (const s of rows) {
    if (!chargers.has(s.chargerId)) continue; // a charger no longer admitted has no say
    sessions.push({ ...s, key: sessionKey(s.chargerId, s.connectorId), drawing: mayDraw(s.status) });
  }
  return sessions;
}
