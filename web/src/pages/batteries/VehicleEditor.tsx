import { useEffect, useState } from 'react';
import { batteryApi, type PackInVehicle } from '../../api/batteries.ts';
import { useAuth } from '../../auth/context.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';
import { RegistryRecord, useRegistryWrite } from './RegistryRecord.tsx';

/** Seed 000 §1/§2: a vehicle's packs, editable as a whole set by operators. */
export function VehicleEditor({ vin, onSaved }: { vin: string; onSaved: () => void }) {
  const { t, date } = useI18n();
  const { can } = useAuth();
  const editable = can('operator');
  const load = useLoad(() => batteryApi.byVin(vin), [vin]);
  const [group, setGroup] = useState('');
  const [packs, setPacks] = useState<PackInVehicle[]>([]);
  const { outcome, run } = useRegistryWrite();
  useEffect(() => {
    if (load.data) {
      setGroup(load.data.batteryGroupNo ?? '');
      setPacks(load.data.batteryInfo);
    }
  }, [load.data]);
  const setPack = (i: number, patch: Partial<PackInVehicle>) =>
    setPacks(packs.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  const save = () =>
    run(
      () =>
        batteryApi.saveVehicle(vin, { batteryGroupNo: group, batteryInfo: packs.filter((p) => p.batteryNo.trim()) }),
      onSaved,
    );
  return (
    <RegistryRecord
      title={t('batteries.vehicle', { vin })}
      load={load}
      testId="vehicle"
      editable={editable}
      outcome={outcome}
      controls={() => (
        <div className="form-actions">
          <button
            type="button"
            className="btn"
            onClick={() => setPacks([...packs, { batteryNo: '', bmsNo: '', batteryType: 2 }])}
          >
            {t('batteries.addPack')}
          </button>
          <button type="button" className="btn primary" onClick={() => void save()}>
            {t('batteries.saveVehicle')}
          </button>
        </div>
      )}
    >
      {(v) => (
        <>
          <div className="form-row">
            <label className="field">
              <span className="field-label">{t('batteries.groupNo')}</span>
              <input value={group} disabled={!editable} onChange={(e) => setGroup(e.target.value)} />
            </label>
            <span className="muted">
              {t('batteries.created')}: {date(v.createTime)}
            </span>
          </div>
          <table className="table">
            <thead>
              <tr>
                <th>{t('batteries.batteryNo')}</th>
                <th>{t('batteries.bmsNo')}</th>
                <th>{t('batteries.type')}</th>
                {editable ? <th /> : null}
              </tr>
            </thead>
            <tbody>
              {packs.map((p, i) => (
                <tr key={i}>
                  <td>
                    {editable ? (
                      <input value={p.batteryNo} onChange={(e) => setPack(i, { batteryNo: e.target.value })} />
                    ) : (
                      p.batteryNo
                    )}
                  </td>
                  <td>
                    {editable ? (
                      <input value={p.bmsNo} onChange={(e) => setPack(i, { bmsNo: e.target.value })} />
                    ) : (
                      p.bmsNo
                    )}
                  </td>
                  <td>
                    {editable ? (
                      <input
                        type="number"
                        className="narrow"
                        value={p.batteryType}
                        onChange={(e) => setPack(i, { batteryType: Number(e.target.value) })}
                      />
                    ) : (
                      p.batteryType
                    )}
                  </td>
                  {editable ? (
                    <td>
                      <button
                        type="button"
                        className="btn small danger"
                        onClick={() => setPacks(packs.filter((_, j) => j !== i))}
                      >
                        {t('batteries.removePack')}
                      </button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </RegistryRecord>
  );
}
