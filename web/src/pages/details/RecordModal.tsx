import { seedApi } from '../../api/seed.ts';
import { useAuth } from '../../auth/context.tsx';
import { Modal } from '../../components/Modal.tsx';
import { Async } from '../../components/States.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';
import { CloseSession } from './CloseSession.tsx';
import { SignedReadings } from './SignedReadings.tsx';

/**
 * Seed §2.2 step 5: the record in full, field by field, in a modal table; then
 * its signed readings. An open session (no dttrealfinish) offers operators and
 * admins its close.
 */
export function RecordModal({ id, onClose }: { id: number; onClose: () => void }) {
  const { t, num } = useI18n();
  const { can } = useAuth();
  const load = useLoad(async () => (await seedApi.record(id)).result, [id]);
  return (
    <Modal title={t('details.record', { id })} onClose={onClose}>
      <Async load={load}>
        {(r) => (
          <>
            <p>
              <a href={`/sessions/${id}/`} data-testid="record-session-link">
                {t('sessions.open')}
              </a>
            </p>
            {can('operator') && r.dttrealfinish === null ? <CloseSession id={id} onClosed={load.reload} /> : null}
            <table className="table kv" data-testid="record-full">
              <thead>
                <tr>
                  <th>{t('details.field')}</th>
                  <th>{t('details.value')}</th>
                </tr>
              </thead>
              <tbody>
                {Object.entries(r).map(([k, v]) => (
                  <tr key={k}>
                    <th>{k}</th>
                    <td>{typeof v === 'number' ? num(v, 3) : v === null ? '—' : String(v)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Async>
      <SignedReadings id={id} />
    </Modal>
  );
}
