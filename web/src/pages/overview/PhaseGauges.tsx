import { useMemo } from 'react';
import { SITE_PHASES } from '../../../../contracts/load.ts';
import type { LoadSnapshot } from '../../api/load.ts';
import { seedApi } from '../../api/seed.ts';
import { Chart } from '../../components/Chart.tsx';
import { DistributionBadge } from '../../components/LoadStateLabel.tsx';
import { Async, Card, Spinner } from '../../components/States.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';
import type { SiteLoad } from '../../live/use-site-load.ts';
import { gaugePhases, phaseGaugeOption, type GaugePhase } from './phase-gauge-option.ts';

/**
 * Seed §2.13's three phase gauges with load management (docs/PRODUCT.md §7):
 * the measured current per site phase against its limit, and the allowed sum
 * as a second marker, live from `load.changed`. With distribution off the
 * gauges show the measured current only; if `GET /api/load` cannot be read,
 * the seed's gauges of the limits alone.
 */
export function PhaseGauges({ version, site }: { version: number; site: SiteLoad }) {
  const { t } = useI18n();
  if (site.snapshot) return <LoadGauges snapshot={site.snapshot} />;
  if (site.error) return <SeedGauges version={version} />;
  return (
    <Card title={t('load.gauges')} className="span-2">
      <Spinner />
    </Card>
  );
}

function LoadGauges({ snapshot }: { snapshot: LoadSnapshot }) {
  const { t, num } = useI18n();
  const phases = useMemo(() => gaugePhases(snapshot.site, snapshot.enabled), [snapshot]);
  const option = useMemo(
    () => phaseGaugeOption(phases, { phase: (p) => t('load.phase', { p }), allowed: t('load.allowed') }),
    [phases, t],
  );
  const text = (p: GaugePhase) => {
    const vars = { p: p.phase, measured: num(p.measured, 1), limit: num(p.limit, 1), allowed: num(p.allowed, 1) };
    return p.allowed === null ? t('load.phaseTextOff', vars) : t('load.phaseText', vars);
  };
  return (
    <Card title={t('load.gauges')} className="span-2" extra={<DistributionBadge enabled={snapshot.enabled} />}>
      <Chart option={option} height={250} testId="phase-gauges" label={phases.map(text).join('; ')} />
      <GaugeLegend withAllowed={snapshot.enabled} />
      <ul className="gauge-text" data-testid="phase-gauge-text">
        {phases.map((p) => (
          <li key={p.phase} data-testid={`phase-load-${p.phase}`} className={p.measured > p.limit ? 'over' : undefined}>
            {text(p)}
            {p.measured > p.limit ? <span className="badge bad">{t('load.over')}</span> : null}
          </li>
        ))}
      </ul>
    </Card>
  );
}

function GaugeLegend({ withAllowed }: { withAllowed: boolean }) {
  const { t } = useI18n();
  return (
    <div className="gauge-legend" aria-hidden>
      <span>
        <i className="swatch measured" />
        {t('load.legendMeasured')}
      </span>
      {withAllowed ? (
        <span>
          <i className="swatch allowed" />
          {t('load.legendAllowed')}
        </span>
      ) : null}
      <span>
        <i className="swatch over" />
        {t('load.legendLimit')}
      </span>
    </div>
  );
}

/** Seed §2.13 as it was: the three phase-current limits from the settings, one gauge each. */
function SeedGauges({ version }: { version: number }) {
  const { t } = useI18n();
  const load = useLoad(() => seedApi.maxCurrents(), [version]);
  const option = useMemo(() => {
    const d = load.data;
    if (!d) return {};
    const values = [d.int_max_current_a, d.int_max_current_b, d.int_max_current_c];
    // A common scale so the three are comparable, in steps of 16 A so the ticks read cleanly; at least 64 A.
    const max = Math.max(64, Math.ceil((Math.max(...values) * 1.25) / 16) * 16);
    return {
      series: values.map((v, i) => ({
        type: 'gauge',
        center: [`${17 + i * 33}%`, '55%'],
        radius: '80%',
        min: 0,
        max,
        splitNumber: 4,
        axisLabel: { fontSize: 9, distance: 12 },
        axisLine: { lineStyle: { width: 8 } },
        pointer: { width: 4 },
        detail: { formatter: '{value} A', fontSize: 14, offsetCenter: [0, '70%'] },
        title: { offsetCenter: [0, '95%'], fontSize: 12 },
        data: [{ value: v, name: t('overview.phase', { p: SITE_PHASES[i]! }) }],
      })),
    };
  }, [load.data, t]);
  return (
    <Card title={t('overview.phaseCurrent')} className="span-2">
      <Async load={load}>{() => <Chart option={option} height={280} testId="phase-gauges" />}</Async>
    </Card>
  );
}
