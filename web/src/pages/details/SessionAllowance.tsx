import { useEffect, useRef } from 'react';
import type { SessionLoad } from '../../api/load.ts';
import { DistributionBadge, LoadStateLabel } from '../../components/LoadStateLabel.tsx';
import { Card, ErrorBox, Spinner } from '../../components/States.tsx';
import { useI18n } from '../../i18n/context.tsx';
import type { LiveFeed } from '../../live/use-live-feed.ts';
import { useSiteLoad } from '../../live/use-site-load.ts';

/** The highest current a session draws on any of its phases, A (as the live chart reads a sample); null unmeasured. */
export function drawing(s: SessionLoad): number | null {
  const values = Object.values(s.measured ?? {});
  return values.length ? Math.max(...values) : null;
}

/**
 * The selected charger's sessions in the site's allocation (docs/PRODUCT.md §7),
 * live: each one's allowance beside the current it draws, and its state in
 * words, e.g. "allowed 16 A · drawing 15.2 A · capped by demand".
 * `onChange` is told when an allowance changes after the first picture
 * (seed §2.1's intchargingcurrent, in the details table, is the allowance).
 */
export function SessionAllowance({
  chargerId,
  feed,
  onChange,
}: {
  chargerId: string;
  feed: LiveFeed;
  onChange?: () => void;
}) {
  const { t, num } = useI18n();
  const site = useSiteLoad(feed);
  const snapshot = site.snapshot;
  const sessions =
    snapshot?.sessions.filter((s) => s.chargerId === chargerId).sort((a, b) => a.connectorId - b.connectorId) ?? [];
  // Another charger picked is a new first picture, not a change.
  const allowances = snapshot
    ? `${chargerId}|${sessions.map((s) => `${s.transactionId}:${s.allowed}`).join()}`
    : undefined;
  const previous = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (allowances === undefined) return;
    if (previous.current?.startsWith(`${chargerId}|`) && previous.current !== allowances) onChange?.();
    previous.current = allowances;
  }, [allowances, chargerId, onChange]);
  return (
    <Card title={t('details.allowance')} extra={snapshot ? <DistributionBadge enabled={snapshot.enabled} /> : null}>
      {!snapshot ? (
        site.error ? (
          <ErrorBox error={site.error} onRetry={site.reload} />
        ) : (
          <Spinner />
        )
      ) : sessions.length === 0 ? (
        <div className="muted" data-testid="allowance-none">
          {t('details.noSession')}
        </div>
      ) : (
        <ul className="allowances" data-testid="allowances">
          {sessions.map((s) => {
            const d = drawing(s);
            return (
              <li key={s.transactionId} data-testid="allowance" data-transaction={s.transactionId} data-state={s.state}>
                <span className="muted">
                  {t('details.allowanceOf', { connector: s.connectorId, tx: s.transactionId })}
                </span>
                <span className="allowance-line">
                  <strong>{t('details.allowed', { n: num(s.allowed, 1) })}</strong>
                  {' · '}
                  {d === null ? t('details.drawingUnknown') : t('details.drawing', { n: num(d, 1) })}
                  {' · '}
                  <LoadStateLabel state={s.state} />
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}
