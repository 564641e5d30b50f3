import type { OcppHandler } from '../context.ts';

/** DiagnosticsStatusNotification (OCPP 1.6 §4.4): stored on the charger and in its event history, then published. */
export const diagnosticsStatusNotification: OcppHandler<{ status: string }> = async ({ app, chargerId, now }, p) => {
  await app.repos.chargers.setDiagnosticsStatus(chargerId, p.status, now);
  await app.repos.chargerEvents.add(chargerId, 'DiagnosticsStatusNotification', p, now);
  app.events.publish({ type: 'diagnostics', chargerId, at: now.toISOString(), status: p.status });
  return {};
};
