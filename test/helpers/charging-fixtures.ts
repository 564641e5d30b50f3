import type { Repositories } from '../../db/repositories/index.ts';
import { localDay } from '../../server/time/site-time.ts';

/**
 * Builds charging history through the same repository calls the OCPP
 * handlers make (boot, status, start, samples, live figures, stop), so the
 * seed API is tested against data shaped exactly as production writes it.
 */
export function chargingFixtures(repos: Repositories, tz: string) {
  const at = (iso: string) => new Date(iso);
  return {
    async charger(
      id: string,
      opts: {
        boot?: string;
        status?: string;
        statusAt?: string;
        vendor?: string;
        model?: string;
        firmware?: string;
      } = {},
    ) {
      await repos.chargers.create({ id }, at('2025-01-01T00:00:00Z'));
      if (opts.boot) {
        await repos.chargers.recordBoot(
          id,
          {
            vendor: opts.vendor ?? 'evpower',
            model: opts.model ?? 'Amos_EVG-32N',
            serialNumber: `SN-${id}`,
            firmwareVersion: opts.firmware ?? '2',
          },
          at(opts.boot),
        );
      }
      if (opts.status) {
        await repos.chargers.recordStatus(
          id,
          { connectorId: 1, status: opts.status, errorCode: 'NoError' },
          at(opts.statusAt ?? opts.boot ?? '2025-01-01T00:00:00Z'),
        );
      }
    },
    /** A finished session: StartTransaction, a meter sample, StopTransaction in the stop's site-local day. */
    async session(
      chargerId: string,
      startIso: string,
      stopIso: string,
      energyWh: number,
      opts: { meterStart?: number; plannedFinish?: string; idTag?: string } = {},
    ) {
      const meterStart = opts.meterStart ?? 100_000;
      const started = await repos.transactions.start({
        chargerId,
        connectorId: 1,
        idTag: opts.idTag ?? 'TAG-1',
        meterStart,
        startedAt: at(startIso),
        plannedFinishAt: opts.plannedFinish ? at(opts.plannedFinish) : null,
      });
      const id = started!.transaction.id;
      await repos.transactions.addSamples([
        {
          chargerId,
          connectorId: 1,
          transactionId: id,
          timestamp: at(startIso),
          measurand: 'Energy.Active.Import.Register',
          phase: '',
          location: 'Outlet',
          context: 'Transaction.Begin',
          unit: 'Wh',
          format: 'Raw',
          value: String(meterStart),
        },
      ]);
      await repos.transactions.stop({
        transactionId: id,
        meterStop: meterStart + energyWh,
        stoppedAt: at(stopIso),
        reason: 'EVDisconnected',
        localDay: localDay(at(stopIso), tz),
      });
      return id;
    },
    /** A running session with live figures from MeterValues. */
    async running(chargerId: string, startIso: string, live: { currentA: number; energyWh: number }) {
      const started = await repos.transactions.start({
        chargerId,
        connectorId: 1,
        idTag: 'TAG-RUN',
        meterStart: 5_000,
        startedAt: at(startIso),
      });
      const id = started!.transaction.id;
      await repos.transactions.updateLive(id, {
        currentA: live.currentA,
        energyWh: live.energyWh,
        powerW: live.currentA * 230,
      });
      return id;
    },
  };
}
