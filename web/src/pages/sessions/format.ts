import type { I18n } from '../../i18n/context.tsx';

/** A duration in words with its unit: "1 h 30 min", "1 小时 30 分". */
export function durationText(t: I18n['t'], seconds: number | null): string {
  if (seconds === null) return '—';
  const minutes = Math.round(seconds / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? t('sessions.hm', { h, m }) : t('sessions.m', { m });
}

/** OCPP 1.6 §7.34 Reason values; each has words in both languages (sessions.reason.*). */
export const STOP_REASONS = [
  'EVDisconnected',
  'Local',
  'Remote',
  'EmergencyStop',
  'PowerLoss',
  'Reboot',
  'HardReset',
  'SoftReset',
  'UnlockCommand',
  'DeAuthorized',
  'Other',
] as const;

export function reasonText(t: I18n['t'], reason: string | null): string {
  if (reason === null) return '—';
  return (STOP_REASONS as readonly string[]).includes(reason)
    ? t(`sessions.reason.${reason as (typeof STOP_REASONS)[number]}`)
    : reason;
}
