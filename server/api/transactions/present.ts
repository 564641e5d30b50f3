import type { Static } from '@sinclair/typebox';
import type { TransactionRow } from '../../../db/schema/index.ts';
import { CSV_COLUMNS, type TransactionFields, type TransactionItem } from './schemas.ts';

export function presentTransaction(
  t: TransactionRow,
  localDateTime: (at: Date) => string,
): Static<typeof TransactionFields> {
  return {
    id: t.id,
    chargerId: t.chargerId,
    connectorId: t.connectorId,
    sessionNumber: t.sessionNumber,
    idTag: t.idTag,
    startedAt: localDateTime(t.startedAt),
    stoppedAt: t.stoppedAt ? localDateTime(t.stoppedAt) : null,
    energyKWh: t.energyWh === null ? null : t.energyWh / 1000,
    // A stop stamped before its start (a clock set back) lasted no minutes, not negative ones.
    minutes: t.stoppedAt ? Math.max(0, Math.round((t.stoppedAt.getTime() - t.startedAt.getTime()) / 600) / 100) : null,
    meterStart: t.meterStart,
    meterStop: t.meterStop,
    stopReason: t.stopReason,
    startStatus: t.startStatus,
    closeCause: t.closeCause,
    closeNote: t.closeNote,
  };
}

/** A session as the management API answers it: its fields, its implausible values and review, its signed-reading count. */
export function presentTransactionItem(
  t: TransactionRow,
  localDateTime: (at: Date) => string,
  signedReadings: number,
): Static<typeof TransactionItem> {
  return {
    ...presentTransaction(t, localDateTime),
    chargerStartedAt: t.chargerStartedAt?.toISOString() ?? null,
    chargerStoppedAt: t.chargerStoppedAt?.toISOString() ?? null,
    meterAnomaly: t.meterAnomaly,
    anomalyReasons: t.anomalyReasons,
    energyReview: t.energyReview,
    signedReadings,
  };
}

/**
 * RFC 4180 quoting; a cell a spreadsheet would run as a formula (=, +, -, @)
 * gets a leading apostrophe (OWASP CSV injection), since id tags and reasons
 * come from chargers.
 */
function cell(v: string | number | null): string {
  if (v === null) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_HEADER = `${CSV_COLUMNS.join(',')}\r\n`;

export function csvLine(t: TransactionRow, localDateTime: (at: Date) => string): string {
  const p = presentTransaction(t, localDateTime);
  return (
    [
      p.id,
      p.chargerId,
      p.connectorId,
      p.sessionNumber,
      p.idTag,
      p.startedAt,
      p.stoppedAt,
      p.energyKWh,
      p.minutes,
      p.meterStart,
      p.meterStop,
      p.stopReason,
    ]
      .map(cell)
      .join(',') + '\r\n'
  );
}
