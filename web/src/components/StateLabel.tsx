import { useI18n } from '../i18n/context.tsx';
import { STATE_NAMES, stateTone } from '../i18n/states.ts';

/** A charger state as a coloured badge in the reader's language; unknown legacy codes shown as they are. */
export function StateLabel({ state }: { state: string | null | undefined }) {
  const { lang } = useI18n();
  if (!state) return <span className="badge idle">—</span>;
  const name = STATE_NAMES[state]?.[lang] ?? state;
  return (
    <span className={`badge ${stateTone(state)}`} title={state}>
      {name}
    </span>
  );
}
