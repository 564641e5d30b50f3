import type { OcppHandler } from '../context.ts';
import { publishState } from '../context.ts';

/** Statuses after which no update is running any more (OCPP 1.6 §7.25). */
const UPDATE_OVER = ['Installed', 'InstallationFailed', 'DownloadFailed', 'Idle'];

/** FirmwareStatusNotification (OCPP 1.6 §4.5): stored; a finished update ends "Updating" (docs/PRODUCT.md §3). */
export const firmwareStatusNotification: OcppHandler<{ status: string }> = async ({ app, chargerId, now }, p) => {
  await app.repos.chargers.setFirmwareStatus(chargerId, p.status, now);
  await app.repos.chargerEvents.add(chargerId, 'FirmwareStatusNotification', p, now);
  app.events.publish({ type: 'firmware', chargerId, at: now.toISOString(), status: p.status });
  if (UPDATE_OVER.includes(p.status) && (await app.repos.chargers.clearTransitional(chargerId, ['Updating'])))
    await publishState(app, chargerId);
  return {};
};
