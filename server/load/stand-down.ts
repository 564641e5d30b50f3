import type { FastifyInstance } from 'fastify';
import { sendToCharger } from './actuator.ts';
import { sendAllLimited } from './send-limit.ts';
import { awaitingBoot, type ChargerLink, type TxGrant } from './installed.ts';
import { clearById, TX_DEFAULT_PROFILE_ID, txProfileId } from './profiles.ts';
import { forgetChargerKeys, type SiteModel } from './site-model.ts';

/**
 * Distribution off (blncurrentdistribution 0, docs/LOAD.md "Off"): every
 * online charger not cleared since it last connected gets
 * ClearChargingProfile by our ids (§5.5): the TxDefaultProfile and the
 * TxProfile of each connector with an open session; nothing an operator
 * installed is touched. The chargers return to their own maximum. A charger
 * that refuses is not asked again until it reconnects or boots: a charger
 * that cannot clear profiles has none of ours. A charger that has just
 * connected is left alone until it booted or had 2 s to.
 */
export async function standDown(
  app: FastifyInstance,
  model: SiteModel,
  links: Map<string, ChargerLink>,
  grants: Map<string, TxGrant>,
  mayAct: () => boolean,
  now: number,
): Promise<void> {
  await sendAllLimited(
    [...model.chargers.values()].filter((c) => c.online),
    async (c) => {
      let link = links.get(c.id);
      if (!link) links.set(c.id, (link = {}));
      // One that has just connected is asked once it booted or had time to (installed.ts awaitingBoot).
      if (link.cleared || link.unreachable || awaitingBoot(link, now) || !mayAct()) return;
      const connectors = new Set(model.sessions.filter((s) => s.chargerId === c.id).map((s) => s.connectorId));
      const ids = [TX_DEFAULT_PROFILE_ID, ...[...connectors].map(txProfileId)];
      const results = await Promise.all(
        ids.map((id) => sendToCharger(app, c.id, 'ClearChargingProfile', clearById(id))),
      );
      if (links.get(c.id) !== link) return; // it booted or reconnected meanwhile: it is asked again
      if (results.some((r) => r.outcome === 'unreachable')) {
        link.unreachable = true;
        return;
      }
      link.cleared = true;
      link.defaultLimit = undefined;
      forgetChargerKeys(grants, c.id);
    },
  );
}
