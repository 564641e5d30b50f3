import type { FastifyInstance } from 'fastify';
import type { ChargerRow } from '../../../db/schema/index.ts';
import { effectiveState } from '../../ocpp/context.ts';

type ConnectorRow = Awaited<ReturnType<FastifyInstance['repos']['chargers']['connectors']>>[number];

/** The API shape of a charger: everything but the secret hash, plus whether it is connected to this system now. */
export function presentCharger(app: FastifyInstance, row: ChargerRow, connectors: ConnectorRow[]) {
  const { secretHash, iccid: _iccid, imsi: _imsi, ...rest } = row;
  return {
    ...rest,
    hasSecret: secretHash !== null,
    effectiveState: effectiveState(row),
    // Scaled out, the process holding the charger keeps `online` in the database.
    connected: app.ocpp.connections.isConnected(row.id) || (app.ocpp.scaledOut && row.online),
    connectors: connectors.map((c) => ({
      connectorId: c.connectorId,
      status: c.status,
      errorCode: c.errorCode,
      info: c.info,
      vendorErrorCode: c.vendorErrorCode,
      statusAt: c.statusAt,
    })),
  };
}

export async function loadCharger(app: FastifyInstance, row: ChargerRow) {
  return presentCharger(app, row, await app.repos.chargers.connectors(row.id));
}
