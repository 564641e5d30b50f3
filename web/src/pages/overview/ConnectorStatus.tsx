import { chargersApi } from '../../api/management.ts';
import { ConnectorTable } from '../../components/ConnectorTable.tsx';
import { Async, Card } from '../../components/States.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';

/**
 * Every charger's connectors (GET /api/chargers): status, error code, vendor
 * error and since when; read again with the page's other panels when a live
 * event (a status among them) bumps `version`.
 */
export function ConnectorStatus({ version }: { version: number }) {
  const { t } = useI18n();
  const load = useLoad(
    () => chargersApi.list().then((cs) => cs.flatMap((c) => c.connectors.map((x) => ({ ...x, chargerId: c.id })))),
    [version],
  );
  return (
    <Card title={t('connectors.title')}>
      <Async load={load} isEmpty={(rows) => rows.length === 0} empty={t('connectors.none')}>
        {(rows) => <ConnectorTable rows={rows} showCharger testId="overview-connectors" />}
      </Async>
    </Card>
  );
}
