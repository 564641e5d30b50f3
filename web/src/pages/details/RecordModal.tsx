import { seedApi } from '../../api/seed.ts';
import { useAuth } from '../../auth/context.tsx';
import { Modal } from '../../components/Modal.tsx';
import { Async } from '../../components/States.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';
import { RECORD_FIELDS, type RecordField } from '../../i18n/record-fields.ts';
import type { RecordFull } from '../../api/seed-types.ts';
import { CloseSession } from './CloseSession.tsx';
import { SignedReadings } from './SignedReadings.tsx';

/**
 * Seed §2.2 step 5: the record in full, field by field, in a modal table (each
 * field's label and unit from i18n/record-fields.ts RECORD_FIELDS, with the seed's own
 * field name beside it, which other programs read); then
 * its signed readings. An open session (no dttrealfinish) offers operators and
 * admins its close.
 */
export function RecordModal({ id, onClose }: { id: number; onClose: () => void }) {
  const { t, num, lang } = useI18n();
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
                {(Object.keys(RECORD_FIELDS) as (keyof RecordFull)[]).map((k) => {
                  const f = RECORD_FIELDS[k];
                  return (
                    <tr key={k} data-field={k}>
                      <th>
                        {f[lang]}
                        <code className="sub">{k}</code>
                      </th>
                      <td>{cell(r[k], f, num)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </>
        )}
      </Async>
      <SignedReadings id={id} />
    </Modal>
  );
}

/** A field's value as the modal shows it: — for none, a quantity with its unit, an id or flag as is, a site-local time with a space for the T. */
function cell(v: string | number | null, f: RecordField, num: (n: number, digits?: number) => string): string {
  if (v === null) return '—';
  if (typeof v === 'number') return f.unit ? `${num(v, 3)} ${f.unit}` : String(v);
  return f.time ? v.replace('T', ' ') : v;
}
