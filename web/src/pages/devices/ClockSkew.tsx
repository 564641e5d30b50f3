import { chargersApi } from '../../api/management.ts';
import { Async, Card } from '../../components/States.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';

type T = ReturnType<typeof useI18n>['t'];

/** A skew as the largest unit that keeps it readable: seconds, minutes, hours, then days (a clock in 9999). */
function span(ms: number, t: T, num: (n: number, digits?: number) => string): string {
  const s = Math.abs(ms) / 1000;
  if (s < 120) return t('devices.seconds', { n: num(s, 0) });
  if (s < 7200) return t('devices.minutes', { n: num(s / 60, 1) });
  if (s < 172_800) return t('devices.hours', { n: num(s / 3600, 1) });
  return t('devices.days', { n: num(s / 86_400, 0) });
}

/**
 * The selected charger's clock against ours (GET /api/chargers/:id
 * clockSkewMs): measured by the server from the charger's live timestamped
 * messages, so an operator sees why its session times were replaced.
 */
export function ClockSkew({ chargerId }: { chargerId: string }) {
  const { t, num, date } = useI18n();
  const load = useLoad(() => chargersApi.get(chargerId), [chargerId]);
  return (
    <Card
      title={`${t('devices.clock')} · ${chargerId}`}
      extra={
        <button type="button" className="btn small ghost" onClick={load.reload}>
          ⟳
        </button>
      }
    >
      <Async load={load}>
        {(c) => (
          <table className="table kv" data-testid="clock-skew">
            <tbody>
              <tr>
                <th>{t('devices.clockSkew')}</th>
                <td data-testid="clock-skew-value">
                  {c.clockSkewMs === null
                    ? t('devices.clockUnknown')
                    : Math.abs(c.clockSkewMs) < 1000
                      ? t('devices.clockInSync')
                      : t(c.clockSkewMs > 0 ? 'devices.clockAhead' : 'devices.clockBehind', {
                          d: span(c.clockSkewMs, t, num),
                        })}
                </td>
              </tr>
              <tr>
                <th>{t('devices.clockMeasured')}</th>
                <td data-testid="clock-skew-at">{date(c.clockSkewAt)}</td>
              </tr>
            </tbody>
          </table>
        )}
      </Async>
    </Card>
  );
}
