import type { Alert } from './alerts.ts';
import type { LoadSnapshot } from './load.ts';

/**
 * What happens at the chargers, as one stream: OCPP handlers publish, the
 * dashboard's live push and (with Redis) other processes subscribe.
 * `at` is an ISO timestamp of when the system learned it.
 */
export interface SampledValueEvent {
  measurand: string;
  phase?: string | undefined;
  unit?: string | undefined;
  value: number;
}

/** Who closed a session (db/schema/transactions.ts CLOSE_CAUSES): the charger's StopTransaction, or the system or an operator for it. */
export type CloseCause = 'charger' | 'connector-available' | 'boot' | 'operator';

export type ChargerEvent =
  | { type: 'connected'; chargerId: string; at: string }
  | { type: 'disconnected'; chargerId: string; at: string }
  | { type: 'boot'; chargerId: string; at: string; registration: string }
  | {
      type: 'status';
      chargerId: string;
      at: string;
      connectorId: number;
      status: string;
      errorCode: string;
      state: string;
    }
  | { type: 'state'; chargerId: string; at: string; state: string }
  | {
      type: 'meter';
      chargerId: string;
      at: string;
      connectorId: number;
      transactionId: number | null;
      timestamp: string;
      values: SampledValueEvent[];
      /** Energy of the running session so far (register − meterStart), Wh, when the sample belongs to one and carries the register. */
      sessionEnergyWh?: number;
    }
  | {
      type: 'transaction.started';
      chargerId: string;
      at: string;
      transactionId: number;
      connectorId: number;
      idTag: string;
      sessionNumber: number;
    }
  | {
      type: 'transaction.stopped';
      chargerId: string;
      at: string;
      transactionId: number;
      energyWh: number;
      reason: string | null;
      /** Who closed it; 'charger' again when a late StopTransaction replaced an automatic or operator close. */
      cause: CloseCause;
    }
  /** An operator confirmed or rejected a session's flagged energy (confirmed: it now counts in the totals). */
  | {
      type: 'transaction.energy';
      chargerId: string;
      at: string;
      transactionId: number;
      review: 'confirmed' | 'rejected';
    }
  | {
      type: 'command';
      chargerId: string;
      at: string;
      commandId: number;
      action: string;
      outcome: string;
      /** The charger's CALLERROR code, when it answered one. */
      errorCode?: string;
    }
  /** FirmwareStatusNotification (OCPP 1.6 §4.5) or DiagnosticsStatusNotification (§4.4), as stored. */
  | { type: 'firmware'; chargerId: string; at: string; status: string }
  | { type: 'diagnostics'; chargerId: string; at: string; status: string }
  /** An alert was raised or cleared (server/alerts/), as GET /api/alerts answers it. */
  | { type: 'alert.raised'; at: string; alert: Alert }
  | { type: 'alert.cleared'; at: string; alert: Alert }
  | { type: 'offline'; chargerId: string; at: string }
  /** An operator registered, edited (approved, rejected) or removed the charger through the REST API. */
  | { type: 'charger.changed'; chargerId: string; at: string; change: 'created' | 'updated' | 'deleted' }
  /** The basic settings were saved (load management reacts to blncurrentdistribution, vchpowersequence, intmaxcurrenta/b/c). */
  | { type: 'settings.changed'; at: string }
  /** An admin created, edited or removed a circuit (docs/PRODUCT.md §7). */
  | { type: 'circuit.changed'; circuitId: number; at: string; change: 'created' | 'updated' | 'deleted' }
  /** The site's allocation changed (server/load/): the whole picture, as `GET /api/load` answers it. */
  | { type: 'load.changed'; at: string; load: LoadSnapshot };

export type ChargerEventType = ChargerEvent['type'];
