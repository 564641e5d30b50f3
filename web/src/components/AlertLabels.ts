import type { Alert } from '../api/alerts.ts';
import type { I18n } from '../i18n/context.tsx';
import type { MessageKey } from '../i18n/en.ts';

const KINDS = new Set<string>([
  'charger.faulted',
  'connector.error',
  'charger.offline',
  'command.failed',
  'firmware.failed',
  'diagnostics.failed',
  'meter_anomaly',
  'clock_skew',
  'load.over-limit',
  'load.profile-rejected',
  'load.failsafe-too-much',
  'load.overcommitted',
  'load.charger-offline',
]);

/** An alert's kind in words; a kind this build does not know shows as the server names it. */
export function alertKind(t: I18n['t'], kind: string): string {
  return KINDS.has(kind) ? t(`alerts.kind.${kind}` as MessageKey) : kind;
}

/** Where it is: the charger, and its connector when it is about one. */
export function alertWhere(t: I18n['t'], a: Alert): string {
  if (!a.chargerId) return t('alerts.site');
  return a.connectorId ? t('alerts.chargerConnector', { charger: a.chargerId, connector: a.connectorId }) : a.chargerId;
}
