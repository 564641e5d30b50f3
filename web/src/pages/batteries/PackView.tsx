import { useState } from 'react';
import { batteryApi } from '../../api/batteries.ts';
import { useAuth } from '../../auth/context.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';
import { RegistryRecord, useRegistryWrite } from './RegistryRecord.tsx';

/** Seed 000 §3/§5: one pack by BMS or battery number; §6: move it to another vehicle (a swap). */
export function PackView({ kind, value, onMoved }: { kind: 'bms' | 'battery'; value: string; onMoved: () => void }) {
  const { t } = useI18n();
  const { can } = useAuth();
  const load = useLoad(
    () => (kind === 'bms' ? batteryApi.byBmsNo(value) : batteryApi.byBatteryNo(value)),
    [kind, value],
  );
  const [target, setTarget] = useState('');
  const { outcome, run } = useRegistryWrite();
  const move = (batteryNo: string) =>
    run(
      () => batteryApi.movePack(batteryNo, { vinCode: target.trim() }),
      () => {
        // Reloaded in place (not remounted) so the confirmation stays on screen.
        load.reload();
        onMoved();
      },
    );
  return (
    <RegistryRecord
      title={`${t(kind === 'bms' ? 'batteries.by.bms' : 'batteries.by.battery')} ${value}`}
      load={load}
      testId="pack"
      editable={can('operator')}
      outcome={outcome}
      controls={(p) => (
        <div className="form-row">
          <label className="field grow">
            <span className="field-label">{t('batteries.move')}</span>
            <input value={target} placeholder={t('batteries.moveTo')} onChange={(e) => setTarget(e.target.value)} />
          </label>
          <button
            type="button"
            className="btn primary"
            disabled={!target.trim()}
            onClick={() => void move(p.batteryNo)}
          >
            {t('batteries.doMove')}
          </button>
        </div>
      )}
    >
      {(p) => (
        <table className="table kv">
          <tbody>
            <tr>
              <th>{t('batteries.batteryNo')}</th>
              <td>{p.batteryNo}</td>
            </tr>
            <tr>
              <th>{t('batteries.bmsNo')}</th>
              <td>{p.bmsNo ?? '—'}</td>
            </tr>
            <tr>
              <th>{t('batteries.type')}</th>
              <td>{p.batteryType ?? '—'}</td>
            </tr>
            <tr>
              <th>{t('batteries.vin')}</th>
              <td>{p.vinCode ?? '—'}</td>
            </tr>
            <tr>
              <th>{t('batteries.groupNo')}</th>
              <td>{p.batteryGroupNo ?? '—'}</td>
            </tr>
          </tbody>
        </table>
      )}
    </RegistryRecord>
  );
}
