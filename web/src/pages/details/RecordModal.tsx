import { seedApi } from '../../api/seed.ts';
import { Modal } from '../../components/Modal.tsx';
import { Async } from '../../components/States.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';
import { SignedReadings } from './SignedReadings.tsx';

/** Seed §2.2 step 5: the record in full, field by field, in a modal table; then its signed readings. */
export function RecordModal({ id, onClose }: { id: number; onClose: () => void }) {
  const { t, num } = useI18n();
  const load = useLoad(async () => (await seedApi.record(id)).result, [id]);
  return (
    <Modal title={t('details.record', { id })} onClose={onClose}>
      <Async load={load}>
        {(r) => (
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
        )}
      </Async>
      <SignedReadings id={id} />
    </Modal>
  );
}
