import type { ChargePoint } from './charge-point.ts';
import type { TxRef } from './charging-profiles.ts';
import type { PhaseAmps } from './ev-model.ts';
import type { Connector } from './types.ts';

/** What one connector's car draws at this moment (`ChargePoint.presentDraw`). */
export interface ConnectorDraw {
  connectorId: number;
  transactionId: number | undefined;
  /** The draw on the charger's L1, L2, L3, A. */
  amps: PhaseAmps;
  /** The current the charger offers (0: suspended), A per phase. */
  offeredA: number;
  /** What the car would draw if offered the charger's full maximum, A per phase. */
  demand: PhaseAmps;
}

/**
 * What a connector offers its car at `at`: the limit of its profiles
 * (OCPP 1.6 §3.13; a ChargePointMaxProfile split over the connectors in a
 * session), at most the charger's maximum, and 0 when that is below its
 * minimum (IEC 61851: the charger suspends, SuspendedEVSE); and the phases
 * it may use.
 */
export function connectorOffer(cp: ChargePoint, c: Connector, at: Date, tx: TxRef): { amps: number; phases: number } {
  const sharing = cp.connectors.filter((x) => x.session).length;
  const limit = cp.profiles.limit(c.id, at, tx, cp.phases, sharing);
  const amps = Math.min(cp.maxAmps, limit.amps);
  return { amps: amps < cp.minAmps ? 0 : amps, phases: limit.phases };
}

/** Every running session's draw set again now, and its loop woken to report a changed status. */
export function refreshDraws(cp: ChargePoint): void {
  for (const c of cp.connectors) {
    if (!c.session) continue;
    c.session.draw.update(c.session.clock.now());
    c.session.wake();
  }
}

/** Each connector's draw as the model holds it (copies). */
export function presentDraws(cp: ChargePoint): ConnectorDraw[] {
  return cp.connectors.map((c) => {
    const d = c.session?.draw;
    return {
      connectorId: c.id,
      transactionId: c.session?.transactionId,
      amps: d ? ([...d.amps] as PhaseAmps) : [0, 0, 0],
      offeredA: d?.offeredA ?? 0,
      demand: d ? ([...d.demand] as PhaseAmps) : [0, 0, 0],
    };
  });
}
