import type { Alert } from '../../contracts/alerts.ts';
import type { AlertRow } from '../../db/schema/index.ts';

/** An alert row as the API, the live stream and the webhook show it (contracts/alerts.ts). */
export function presentAlert(a: AlertRow): Alert {
  return {
    id: a.id,
    at: a.at.toISOString(),
    kind: a.kind,
    severity: a.severity,
    chargerId: a.chargerId,
    connectorId: a.connectorId,
    transactionId: a.transactionId,
    message: a.message,
    details: (a.details ?? {}) as Record<string, unknown>,
    clearedAt: a.clearedAt?.toISOString() ?? null,
    acknowledgedAt: a.acknowledgedAt?.toISOString() ?? null,
    acknowledgedBy: a.acknowledgedBy,
  };
}
