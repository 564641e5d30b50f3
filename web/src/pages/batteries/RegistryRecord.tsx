import { useState, type ReactNode } from 'react';
import { Async, Card, describeError } from '../../components/States.tsx';
import type { Loaded } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';

type Outcome = { ok: boolean; text: string };

/**
 * A registry write (seed 000 §2, §6) from the Batteries page: `run` performs it
 * and keeps its outcome, "Saved." or the refusal worded by its code.
 */
export function useRegistryWrite(): {
  outcome: Outcome | null;
  run(write: () => Promise<unknown>, then?: () => void): Promise<void>;
} {
  const { t } = useI18n();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  async function run(write: () => Promise<unknown>, then?: () => void) {
    try {
      await write();
      setOutcome({ ok: true, text: t('batteries.saved') });
      then?.();
    } catch (err) {
      setOutcome({ ok: false, text: describeError(t, err) });
    }
  }
  return { outcome, run };
}

/**
 * One registry record (a vehicle or a pack) as the Batteries page shows it: the
 * loaded record, then an operator's write controls or the read-only note, then
 * the last write's outcome.
 */
export function RegistryRecord<T>({
  title,
  load,
  testId,
  editable,
  outcome,
  children,
  controls,
}: {
  title: string;
  load: Loaded<T>;
  testId: string;
  editable: boolean;
  outcome: Outcome | null;
  children: (record: T) => ReactNode;
  controls: (record: T) => ReactNode;
}) {
  const { t } = useI18n();
  return (
    <Card title={title}>
      <Async load={load}>
        {(record) => (
          <div data-testid={testId}>
            {children(record)}
            {editable ? controls(record) : <div className="state state-info">{t('batteries.readOnly')}</div>}
            {outcome ? <div className={`state ${outcome.ok ? 'state-ok' : 'state-error'}`}>{outcome.text}</div> : null}
          </div>
        )}
      </Async>
    </Card>
  );
}
