import type { FastifyInstance } from 'fastify';
import type { Static } from '@sinclair/typebox';
import type { ChargerRow, TransactionRow } from '../../../db/schema/index.ts';
import { AppError } from '../../errors.ts';
import { kWh } from './periods.ts';
import { ChargerDetailsSchema, ChargerIdQuery } from './schemas.ts';

type Details = Static<typeof ChargerDetailsSchema>['result'];

/**
 * Seed 2.1 from the charger row and its running session, if any (docs/PRODUCT.md §3 mapping).
 * `allowance`: the session's present allowance from load management (docs/LOAD.md "Visible"),
 * undefined when it does not steer it (distribution off): then the charger's maximum.
 */
export function presentDetails(
  c: ChargerRow,
  open: TransactionRow | undefined,
  now: Date,
  allowance?: number,
): Details {
  return {
    vchchargerid: c.id,
    vchModelID: c.model ?? '',
    vchvenderid: c.vendor ?? '',
    vchSerialNo: c.serialNumber ?? c.chargeBoxSerialNumber ?? '',
    vchFirmwareVer: c.firmwareVersion ?? '',
    dblAccumlatedPower: kWh(c.energyWhTotal),
    dblAccumlatedMinute: c.minutesTotal,
    vchIP: c.ip,
    vchMac: c.mac ?? '',
    vchSoket: c.socketType,
    vchstate: c.state ?? '',
    intcurrentfeedback: open ? Math.round(open.liveCurrentA ?? 0) : 0,
    intcurrent: Math.round(c.maxCurrent),
    // Floored: the allowance is a limit, and the seed's field is whole amperes.
    intchargingcurrent: open ? Math.floor((allowance ?? c.maxCurrent) + 1e-6) : 0,
    intconsumedenergy: open ? (open.liveEnergyWh ?? 0) : 0,
    intElapsedTime: open ? Math.max(0, Math.floor((now.getTime() - open.startedAt.getTime()) / 60_000)) : 0,
    intchargingphase: c.maxPhase,
    vchcommand: c.lastCommand ?? '',
    dblmaxcurrent: c.maxCurrent,
    dblmincurrent: c.minCurrent,
    intMaxPhase: c.maxPhase,
  };
}

export default async function chargerDetailsRoutes(app: FastifyInstance) {
  app.get<{ Querystring: Static<typeof ChargerIdQuery> }>(
    '/api/charger/details/',
    {
      config: { role: 'viewer' },
      schema: {
        tags: ['seed'],
        summary: 'Charger details (seed 2.1); without charger_id the most recently active charger',
        querystring: ChargerIdQuery,
        response: { 200: ChargerDetailsSchema },
      },
    },
    async (req) => {
      const id = req.query.charger_id;
      const charger =
        id === undefined ? await app.repos.seedQueries.mostRecentlyActive() : await app.repos.chargers.get(id);
      if (!charger) {
        throw id === undefined
          ? new AppError('NOT_FOUND', 'No charger is registered yet')
          : new AppError('NOT_FOUND', `No charger ${id}`, { charger_id: `no charger "${id}"` });
      }
      const open = await app.repos.transactions.open(charger.id);
      const allowance = open ? app.load.allowanceOf(charger.id, open.connectorId) : undefined;
      return { result: presentDetails(charger, open, app.clock.now(), allowance) };
    },
  );
}
