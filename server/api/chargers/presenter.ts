import type { FastifyInstance } from 'fastify';
import { PHASE_ROTATIONS, loadedPhases, type PhaseRotation } from '../../../contracts/load.ts';
import type { ChargerRow } from '../../../db/schema/index.ts';
import { effectiveState } from '../../ocpp/context.ts';

type ConnectorRow = Awaited<ReturnType<FastifyInstance['repos']['chargers']['connectors']>>[number];

/** The site's default rotation (the seed's vchpowersequence), for chargers that have none of their own. */
export async function siteRotation(app: FastifyInstance): Promise<PhaseRotation> {
  const seq = (await app.repos.settings.get()).vchpowersequence;
  // The settings rule admits only the six rotations; anything else (a hand-edited row) reads as ABC.
  return (PHASE_ROTATIONS as readonly string[]).includes(seq) ? (seq as PhaseRotation) : 'ABC';
}

/**
 * The API shape of a charger: everything but the secret hash, plus whether it
 * is connected to this system now and the site phases its wiring loads
 * (docs/PRODUCT.md §7).
 */
export function presentCharger(app: FastifyInstance, row: ChargerRow, connectors: ConnectorRow[], site: PhaseRotation) {
  const { secretHash, iccid: _iccid, imsi: _imsi, ...rest } = row;
  const effectiveRotation = row.phaseRotation ?? site;
  return {
    ...rest,
    effectiveRotation,
    phases: loadedPhases(effectiveRotation, row.maxPhase),
    hasSecret: secretHash !== null,
    effectiveState: effectiveState(row),
    // Scaled out, the process holding the charger keeps `online` in the database.
    connected: app.ocpp.connections.isConnected(row.id) || (app.ocpp.scaledOut && row.online),
    connectors: connectors.map((c) => ({
      connectorId: c.connectorId,
      status: c.status,
      errorCode: c.errorCode,
      info: c.info,
      vendorId: c.vendorId,
      vendorErrorCode: c.vendorErrorCode,
      statusAt: c.statusAt,
      statusSince: c.statusSince,
    })),
  };
}

export async function loadCharger(app: FastifyInstance, row: ChargerRow) {
  const [connectors, site] = await Promise.all([app.repos.chargers.connectors(row.id), siteRotation(app)]);
  return presentCharger(app, row, connectors, site);
}
