import type { Session } from '../../api/transactions.ts';
import { useI18n } from '../../i18n/context.tsx';
import { durationText, reasonText } from './format.ts';

/** Start and stop, duration, id tag, meter start and stop, energy, stop reason, connector: with their units. */
export function SessionFacts({ s }: { s: Session }) {
  const { t, num, date } = useI18n();
  const rows: [string, string, string][] = [
    ['charger', t('sessions.charger'), s.chargerId],
    ['connector', t('sessions.connector'), String(s.connectorId)],
    ['id-tag', t('sessions.idTag'), s.idTag],
    ['state', t('sessions.state'), s.running ? t('sessions.running') : t('sessions.finished')],
    ['start', t('sessions.start'), date(s.startedAt)],
    ['stop', t('sessions.stop'), s.stoppedAt ? date(s.stoppedAt) : '—'],
    ['duration', t('sessions.duration'), durationText(t, s.durationSeconds)],
    ['meter-start', t('sessions.meterStart'), num(s.meterStart / 1000, 3)],
    ['meter-stop', t('sessions.meterStop'), s.meterStop === null ? '—' : num(s.meterStop / 1000, 3)],
    s.running
      ? ['energy', t('sessions.energySoFar'), s.liveEnergyKWh === null ? '—' : num(s.liveEnergyKWh, 3)]
      : ['energy', t('sessions.energy'), s.energyKWh === null ? '—' : num(s.energyKWh, 3)],
    ['reason', t('sessions.stopReason'), reasonText(t, s.stopReason)],
  ];
  return (
    <table className="table kv" data-testid="session-facts">
      <tbody>
        {rows.map(([id, label, value]) => (
          <tr key={id} data-testid={`fact-${id}`}>
            <th>{label}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
