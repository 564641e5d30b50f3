import type { FastifyInstance } from 'fastify';
import { CONDITION_ALERT_SEVERITY, type ConditionAlertKind } from '../../contracts/alerts.ts';
import type { ClearScope } from '../../db/repositories/alerts.ts';
import type { AlertRow, AlertSeverity } from '../../db/schema/index.ts';

export interface ConditionInput {
  kind: ConditionAlertKind;
  /** What makes two raises the same condition, within the kind (e.g. `CP1:2:GroundFailure`). */
  cause: string;
  severity?: AlertSeverity | undefined;
  chargerId?: string | null | undefined;
  connectorId?: number | null | undefined;
  message: string;
  details?: Record<string, unknown> | undefined;
}

/**
 * Raises the alert of a condition that began, stamped by the injected clock.
 * Idempotent: while one of its kind and cause is open nothing new is raised
 * (alerts_open_cause holds it against concurrent raises too). Resolves with
 * the row raised now, else undefined.
 */
export async function raiseCondition(app: FastifyInstance, input: ConditionInput): Promise<AlertRow | undefined> {
  const [row] = await app.repos.alerts.raise([
    {
      at: app.clock.now(),
      kind: input.kind,
      severity: input.severity ?? CONDITION_ALERT_SEVERITY[input.kind],
      chargerId: input.chargerId ?? null,
      connectorId: input.connectorId ?? null,
      message: input.message,
      details: input.details,
      cause: input.cause,
    },
  ]);
  return row;
}

/** Clears the open alerts of a condition that ended; resolves with those cleared now. */
export async function clearCondition(
  app: FastifyInstance,
  scope: ClearScope & { kind: ConditionAlertKind | ConditionAlertKind[] },
): Promise<AlertRow[]> {
  return app.repos.alerts.clear(scope, app.clock.now());
}
