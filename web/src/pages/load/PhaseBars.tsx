import { SITE_PHASES, type SitePhase } from '../../../../contracts/load.ts';
import type { PhaseLoad } from '../../api/load.ts';
import { useI18n } from '../../i18n/context.tsx';
import { amps } from './amps.ts';
import type { MessageKey } from '../../i18n/en.ts';

type Phases = Record<SitePhase, PhaseLoad>;

/** The largest figure of some phase sets, so bars drawn side by side share one scale. */
export function barScale(sets: Phases[]): number {
  return Math.max(1, ...sets.flatMap((s) => SITE_PHASES.flatMap((p) => [s[p].limit, s[p].allowed, s[p].measured])));
}

const BARS: { key: keyof PhaseLoad; word: MessageKey }[] = [
  { key: 'limit', word: 'load.limit' },
  { key: 'allowed', word: 'load.allowed' },
  { key: 'measured', word: 'load.measured' },
];

/** Which of the three bars are drawn: the allowed sum means nothing while distribution is off. */
const shown = (withAllowed: boolean) => BARS.filter((b) => withAllowed || b.key !== 'allowed');

/**
 * Limit, allowed sum and measured sum of each phase of the site or a circuit
 * as three bars on one scale, each with its figure beside it; a measured or
 * allowed sum above the limit is drawn red. `compact` puts the three phases
 * side by side and leaves the bars' words to a BarLegend (and screen readers).
 */
export function PhaseBars({
  phases,
  scale,
  withAllowed = true,
  compact = false,
  testId,
}: {
  phases: Phases;
  scale: number;
  withAllowed?: boolean;
  compact?: boolean;
  testId?: string;
}) {
  const { t, num } = useI18n();
  return (
    <div className={`phase-bars${compact ? ' compact' : ''}`} data-testid={testId}>
      {SITE_PHASES.map((p) => (
        <div className="phase-bar-set" key={p} data-phase={p}>
          <div className="phase-name">{t('load.phase', { p })}</div>
          <div className="bar-set">
            {shown(withAllowed).map((b) => {
              const v = phases[p][b.key];
              const over = b.key !== 'limit' && v > phases[p].limit;
              return (
                <div className={`bar ${b.key}${over ? ' over' : ''}`} key={b.key} data-bar={b.key} data-value={v}>
                  <span className="bar-word">{t(b.word)}</span>
                  <span className="bar-track">
                    <span className="bar-fill" style={{ width: `${Math.min(100, (v / scale) * 100)}%` }} />
                  </span>
                  <span className="bar-value">{amps(num, v)}</span>
                </div>
              );
            })}
          </div>
        </div>
      ))}
    </div>
  );
}

/** What the colours of compact PhaseBars mean. */
export function BarLegend({ withAllowed = true }: { withAllowed?: boolean }) {
  const { t } = useI18n();
  return (
    <div className="bar-legend" aria-hidden>
      {shown(withAllowed).map((b) => (
        <span key={b.key}>
          <i className={`swatch bar-${b.key}`} />
          {t(b.word)}
        </span>
      ))}
    </div>
  );
}
