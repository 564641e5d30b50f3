import type { Ev } from './ev-model.ts';
import type { SimClock } from './clock.ts';
import type { SessionDraw } from './draw.ts';

/** OCPP 1.6 §7.7 ChargePointStatus. */
export type ConnectorStatus =
  | 'Available'
  | 'Preparing'
  | 'Charging'
  | 'SuspendedEVSE'
  | 'SuspendedEV'
  | 'Finishing'
  | 'Reserved'
  | 'Unavailable'
  | 'Faulted';

/** OCPP 1.6 §7.42 Reason for a StopTransaction. */
export type StopReason =
  | 'EmergencyStop'
  | 'EVDisconnected'
  | 'HardReset'
  | 'Local'
  | 'Other'
  | 'PowerLoss'
  | 'Reboot'
  | 'Remote'
  | 'SoftReset'
  | 'UnlockCommand'
  | 'DeAuthorized';

export interface Session {
  idTag: string;
  transactionId?: number;
  start: Date;
  meterStartWh: number;
  ev: Ev;
  /** Aborted to end the session early (remote stop, reset, unlock); the reason says why. */
  stop: AbortController;
  stopReason?: StopReason;
  /** The clock this session runs on (live, or a history back-fill's virtual one). */
  clock: SimClock;
  /** What the car draws now, and the energy it drew. */
  draw: SessionDraw;
  /** Ends the session loop's present wait, so it reports a changed draw at once (a profile was set or cleared). */
  wake: () => void;
  done: Promise<void>;
}

export interface Connector {
  id: number;
  status: ConnectorStatus;
  availability: 'Operative' | 'Inoperative';
  /** ChangeAvailability received while charging: applied when the session ends (§5.2 Scheduled). */
  scheduledAvailability?: 'Operative' | 'Inoperative';
  reservation?: { id: number; idTag: string; expiry: Date };
  session?: Session;
  /** A remote start was accepted and its session is about to begin: the connector is taken. */
  starting?: boolean;
  /** The connector's energy register, Wh (Energy.Active.Import.Register). */
  meterWh: number;
}

/** A line the CLI prints or a test inspects. */
export interface SimEvent {
  at: Date;
  chargerId: string;
  kind: 'connected' | 'disconnected' | 'boot' | 'session-start' | 'session-stop' | 'command' | 'firmware' | 'error';
  detail: string;
}
