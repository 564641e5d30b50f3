import { transactionsApi } from '../../api/management.ts';
import { Async } from '../../components/States.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';

/**
 * Under a record: whether the session carries signed meter readings (OCPP 1.6
 * §7.31 SignedData, e.g. OCMF) and, if so, links to download them verbatim
 * for a transparency tool. Read from the management API, not the seed record,
 * whose shape is fixed.
 */
export function SignedReadings({ id }: { id: number }) {
  const { t } = useI18n();
  const load = useLoad(() => transactionsApi.signedReadings(id), [id]);
  return (
    <Async load={load}>
      {({ items }) =>
        items.length === 0 ? (
          <p className="signed-readings none" data-testid="signed-readings">
            {t('details.signedNone')}
          </p>
        ) : (
          <p className="signed-readings" data-testid="signed-readings">
            <strong>{t('details.signed', { n: items.length })}</strong>{' '}
            <a
              className="btn small"
              href={transactionsApi.signedDownload(id, 'ocmf')}
              download
              data-testid="signed-download"
            >
              {t('details.signedDownload')}
            </a>{' '}
            <a
              className="btn small"
              href={transactionsApi.signedDownload(id, 'xml')}
              download
              data-testid="signed-download-xml"
            >
              {t('details.signedDownloadXml')}
            </a>
          </p>
        )
      }
    </Async>
  );
}
