/**
 * What POST /api/chargers/:id/commands/:action answers (docs/PRODUCT.md §5): the
 * charger's own response payload to the OCPP 1.6 command, with the id of its
 * command_log audit row and how long the charger took. Returned by
 * server/ocpp/commands/send.ts, read by the dashboard's API client.
 */
export interface CommandResult {
  commandId: number;
  chargerId: string;
  action: string;
  response: unknown;
  durationMs: number;
}
