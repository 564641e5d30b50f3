import type { Connector } from '../api/management.ts';
import { useI18n } from '../i18n/context.tsx';
import { StateLabel } from './StateLabel.tsx';
import { Table } from './Table.tsx';

export interface ConnectorRow extends Connector {
  chargerId: string;
}

/** What the charger's vendor said beyond the OCPP error code (OCPP 1.6 §4.9: info, vendorId, vendorErrorCode). */
function vendorError(c: Connector): string {
  const parts = [c.vendorId && c.vendorErrorCode ? `${c.vendorId}: ${c.vendorErrorCode}` : c.vendorErrorCode, c.info];
  return parts.filter(Boolean).join(' · ') || '—';
}

/**
 * Connectors with their status, error code, vendor error and since when;
 * connector 0 is the charger itself (OCPP 1.6 §4.9). Shared by Devices and Overview.
 */
export function ConnectorTable({
  rows,
  showCharger,
  testId,
}: {
  rows: ConnectorRow[];
  showCharger: boolean;
  testId: string;
}) {
  const { t, date } = useI18n();
  return (
    <Table
      testId={testId}
      rows={rows}
      rowKey={(r) => `${r.chargerId}/${r.connectorId}`}
      columns={[
        ...(showCharger
          ? [{ key: 'charger', title: t('connectors.charger'), render: (r: ConnectorRow) => r.chargerId }]
          : []),
        {
          key: 'connector',
          title: t('connectors.connector'),
          render: (r) => (r.connectorId === 0 ? t('connectors.chargerItself') : r.connectorId),
        },
        { key: 'status', title: t('connectors.status'), render: (r) => <StateLabel state={r.status} /> },
        {
          key: 'error',
          title: t('connectors.errorCode'),
          render: (r) => <span className={r.errorCode === 'NoError' ? '' : 'badge bad'}>{r.errorCode}</span>,
        },
        { key: 'vendor', title: t('connectors.vendorError'), render: vendorError },
        { key: 'since', title: t('connectors.since'), render: (r) => date(r.statusSince) },
        { key: 'last', title: t('connectors.lastReport'), render: (r) => date(r.statusAt) },
      ]}
    />
  );
}

/** A live `status` event applied to the rows it concerns: the status moves `since` only when it changed. */
export function applyStatus(
  rows: ConnectorRow[],
  e: { chargerId: string; connectorId: number; status: string; errorCode: string; at: string },
): ConnectorRow[] {
  const i = rows.findIndex((r) => r.chargerId === e.chargerId && r.connectorId === e.connectorId);
  const prev = i >= 0 ? rows[i] : undefined;
  const changed = !prev || prev.status !== e.status || prev.errorCode !== e.errorCode;
  const next: ConnectorRow = {
    chargerId: e.chargerId,
    connectorId: e.connectorId,
    status: e.status,
    errorCode: e.errorCode,
    // The event does not carry the vendor's words; the reload that follows does.
    info: changed ? null : (prev?.info ?? null),
    vendorId: changed ? null : (prev?.vendorId ?? null),
    vendorErrorCode: changed ? null : (prev?.vendorErrorCode ?? null),
    statusAt: e.at,
    statusSince: changed ? e.at : prev!.statusSince,
  };
  const out = [...rows];
  if (i >= 0) out[i] = next;
  else out.push(next);
  return out.sort((a, b) => a.chargerId.localeCompare(b.chargerId) || a.connectorId - b.connectorId);
}
