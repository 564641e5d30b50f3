import { seedApi } from '../../api/seed.ts';
import type { ChargerDetails } from '../../api/seed-types.ts';
import { StateLabel } from '../../components/StateLabel.tsx';
import { Async, Card } from '../../components/States.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n, type Lang } from '../../i18n/context.tsx';

/** Row labels of the seed §2.1 table (the left table of /details/). */
const LABELS: [keyof ChargerDetails, Record<Lang, string>][] = [
  ['vchchargerid', { en: 'Charger ID', zh: '电桩ID' }],
  ['vchModelID', { en: 'Model ID', zh: '型号' }],
  ['vchvenderid', { en: 'Vendor', zh: '厂商' }],
  ['vchSerialNo', { en: 'Serial no', zh: '序列号' }],
  ['vchFirmwareVer', { en: 'Firmware', zh: '固件版本' }],
  ['dblAccumlatedPower', { en: 'Accumulated energy (kWh)', zh: '累计电量（kWh）' }],
  ['dblAccumlatedMinute', { en: 'Accumulated minutes', zh: '累计分钟' }],
  ['vchIP', { en: 'IP', zh: 'IP 地址' }],
  ['vchMac', { en: 'MAC', zh: 'MAC 地址' }],
  ['vchSoket', { en: 'Socket', zh: '插座类型' }],
  ['vchstate', { en: 'State', zh: '状态' }],
  ['intcurrentfeedback', { en: 'Current feedback (A)', zh: '电流反馈（A）' }],
  ['intcurrent', { en: 'Current limit (A)', zh: '电流（A）' }],
  ['intchargingcurrent', { en: 'Charging current (A)', zh: '充电电流（A）' }],
  ['intconsumedenergy', { en: 'Consumed energy', zh: '消耗电量' }],
  ['intElapsedTime', { en: 'Elapsed time', zh: '已用时间' }],
  ['intchargingphase', { en: 'Charging phases', zh: '充电相数' }],
  ['vchcommand', { en: 'Last message', zh: '最近消息' }],
  ['dblmaxcurrent', { en: 'Max current (A)', zh: '最大电流（A）' }],
  ['dblmincurrent', { en: 'Min current (A)', zh: '最小电流（A）' }],
  ['intMaxPhase', { en: 'Max phases', zh: '最大相数' }],
];

/** Seed §2.1: one charger's details; with no id the server picks the most recently active one. */
export function ChargerInfo({
  chargerId,
  version,
  onResolved,
}: {
  chargerId: string;
  version: number;
  onResolved: (id: string) => void;
}) {
  const { t, lang, num } = useI18n();
  const load = useLoad(async () => {
    const d = (await seedApi.chargerDetails(chargerId || undefined)).result;
    onResolved(d.vchchargerid);
    return d;
  }, [chargerId, version]);
  return (
    <Card title={t('details.info')}>
      <Async load={load}>
        {(d) => (
          <table className="table kv" data-testid="charger-details">
            <tbody>
              {LABELS.map(([k, label]) => {
                const v = d[k];
                return (
                  <tr key={k}>
                    <th>{label[lang]}</th>
                    <td>
                      {k === 'vchstate' ? (
                        <StateLabel state={d.vchstate} />
                      ) : typeof v === 'number' ? (
                        num(v, 3)
                      ) : (
                        (v ?? '—')
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </Async>
    </Card>
  );
}
