import { SITE_PHASES } from '../../../../contracts/load.ts';
import type { SessionLoad } from '../../api/load.ts';
import { LoadStateLabel } from '../../components/LoadStateLabel.tsx';
import { Empty } from '../../components/States.tsx';
import { Table } from '../../components/Table.tsx';
import { useI18n } from '../../i18n/context.tsx';
import { amps } from './amps.ts';

/** Every open session's allowance (docs/PRODUCT.md §7): where it draws, what it is allowed, what it draws, and why. */
export function SessionsTable({ sessions }: { sessions: SessionLoad[] }) {
  const { t, num } = useI18n();
  if (sessions.length === 0) return <Empty>{t('load.noSessions')}</Empty>;
  const rows = [...sessions].sort((a, b) => a.chargerId.localeCompare(b.chargerId) || a.connectorId - b.connectorId);
  const measured = (s: SessionLoad) => {
    if (!s.measured) return <span className="muted">{t('load.notMeasured')}</span>;
    const m = s.measured;
    const phases = SITE_PHASES.filter((p) => m[p] !== undefined);
    if (phases.length === 1) return amps(num, m[phases[0]!]!);
    return phases.map((p) => `${p} ${num(m[p], 1)}`).join(' · ') + ' A';
  };
  return (
    <Table
      testId="load-sessions"
      rows={rows}
      rowKey={(s) => s.transactionId}
      columns={[
        {
          key: 'charger',
          title: t('load.charger'),
          render: (s) => <a href={`/details/?charger_id=${encodeURIComponent(s.chargerId)}`}>{s.chargerId}</a>,
        },
        { key: 'connector', title: t('load.connector'), className: 'num', render: (s) => s.connectorId },
        { key: 'tx', title: t('load.transaction'), className: 'num', render: (s) => s.transactionId },
        { key: 'phases', title: t('load.phases'), render: (s) => s.phases.join(' ') },
        {
          key: 'allowed',
          title: t('load.allowed'),
          className: 'num',
          render: (s) => <strong data-testid="session-allowed">{amps(num, s.allowed)}</strong>,
        },
        { key: 'measured', title: t('load.measured'), className: 'num', render: measured },
        { key: 'state', title: t('load.state'), render: (s) => <LoadStateLabel state={s.state} /> },
      ]}
    />
  );
}
