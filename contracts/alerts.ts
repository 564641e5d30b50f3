/**
 * Alerts as the API answers them and the live stream announces them
 * (GET /api/alerts, `alert.raised` / `alert.cleared` on /api/live), and the
 * kinds the system raises and clears itself (docs/OPERATIONS.md "Alerts").
 */
export type AlertSeverity = 'info' | 'warning' | 'critical';

/**
 * The conditions the system raises when they begin and clears when they end,
 * one open alert per cause, with their severity:
 * - charger.faulted: a StatusNotification with status Faulted (OCPP 1.6 §4.9), per connector (0 is the charger) and error code;
 * - connector.error: an error code other than NoError (OCPP 1.6 §7.6) without Faulted, cleared when NoError comes back;
 * - charger.offline: no message for OCPP_OFFLINE_AFTER_INTERVALS heartbeat intervals, cleared when it talks again;
 * - command.failed: a command answered with a CALLERROR or not at all, per action, cleared when the action is next answered;
 * - firmware.failed: FirmwareStatusNotification DownloadFailed or InstallationFailed (OCPP 1.6 §4.5), cleared by Installed;
 * - diagnostics.failed: DiagnosticsStatusNotification UploadFailed (OCPP 1.6 §4.4), cleared by Uploaded;
 * - load.over-limit: a phase measured above its limit for more than 10 s, cleared when it is back within it.
 */
export const CONDITION_ALERT_SEVERITY = {
  'charger.faulted': 'critical',
  'connector.error': 'warning',
  'charger.offline': 'warning',
  'command.failed': 'warning',
  'firmware.failed': 'warning',
  'diagnostics.failed': 'warning',
  'load.over-limit': 'critical',
} as const satisfies Record<string, AlertSeverity>;
export type ConditionAlertKind = keyof typeof CONDITION_ALERT_SEVERITY;
export const CONDITION_ALERT_KINDS = Object.keys(CONDITION_ALERT_SEVERITY) as ConditionAlertKind[];

/** The alert kind of flagged meter readings: cleared by the operator's energy review of the session. */
export const METER_ANOMALY_KIND = 'meter_anomaly';

export type AlertState = 'open' | 'all';

export interface Alert {
  id: number;
  /** When it was raised (ISO). */
  at: string;
  kind: string;
  severity: AlertSeverity;
  chargerId: string | null;
  connectorId: number | null;
  transactionId: number | null;
  message: string;
  details: Record<string, unknown>;
  /** When the system saw the condition end, or the operator's acknowledgement closed a one-time notice (ISO). */
  clearedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

/** The JSON body POSTed to ALERT_WEBHOOK_URL for each raise and each clear (docs/OPERATIONS.md "Alerts"). */
export interface AlertWebhookBody {
  /** Unique per notice: a receiver that sees one twice (a retry after a lost answer) may drop the second. */
  deliveryId: number;
  event: 'alert.raised' | 'alert.cleared';
  /** The alert as it is when sent. */
  alert: Alert;
}
