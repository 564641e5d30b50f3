import { useEffect, useState, type FormEvent } from 'react';
import { PHASE_ROTATIONS, loadedPhases, type PhaseRotation } from '../../../../contracts/load.ts';
import { ApiError } from '../../api/client.ts';
import type { Circuit } from '../../api/circuits.ts';
import { chargersApi, type Charger, type ChargerPatch } from '../../api/management.ts';
import { seedApi } from '../../api/seed.ts';
import { Field } from '../../components/Field.tsx';
import { Async, Card, describeError } from '../../components/States.tsx';
import { useLoad } from '../../components/use-load.ts';
import { useI18n } from '../../i18n/context.tsx';

type Form = { maxPhase: string; minCurrent: string; maxCurrent: string; phaseRotation: string; circuitId: string };
type Notice = { tone: 'ok' | 'error' | 'info'; text: string } | null;
const FIELDS = ['maxPhase', 'minCurrent', 'maxCurrent', 'phaseRotation', 'circuitId'] as const;

const toForm = (c: Charger): Form => ({
  maxPhase: String(c.maxPhase),
  minCurrent: String(c.minCurrent),
  maxCurrent: String(c.maxCurrent),
  phaseRotation: c.phaseRotation ?? '',
  circuitId: c.circuitId === null ? '' : String(c.circuitId),
});

/** The fields the form changed, as the PATCH body; a current that is not a number is named instead. */
function changes(form: Form, base: Form): { patch: ChargerPatch; bad: string[] } {
  const patch: ChargerPatch = {};
  const bad: string[] = [];
  if (form.maxPhase !== base.maxPhase) patch.maxPhase = Number(form.maxPhase);
  for (const k of ['minCurrent', 'maxCurrent'] as const) {
    if (form[k].trim() === base[k]) continue;
    const n = form[k].trim() === '' ? NaN : Number(form[k]);
    if (Number.isFinite(n)) patch[k] = n;
    else bad.push(k);
  }
  if (form.phaseRotation !== base.phaseRotation)
    patch.phaseRotation = form.phaseRotation === '' ? null : (form.phaseRotation as PhaseRotation);
  if (form.circuitId !== base.circuitId) patch.circuitId = form.circuitId === '' ? null : Number(form.circuitId);
  return { patch, bad };
}

/**
 * The selected charger's wiring (docs/PRODUCT.md §7): phases wired, its
 * current range, which site phases its L1..L3 are on (or the site's
 * vchpowersequence) and the circuit it hangs from, saved through PATCH
 * /api/chargers/<id> (admin, like every charger edit); the server's per-field
 * refusals are shown at the fields. Others see it read-only; the circuit list
 * is admin-only, so they see the circuit's number.
 */
export function WiringPanel({
  chargerId,
  editable,
  circuits,
  onSaved,
}: {
  chargerId: string;
  editable: boolean;
  circuits: Circuit[] | undefined;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const load = useLoad(() => Promise.all([chargersApi.get(chargerId), seedApi.settings()]), [chargerId]);
  const [form, setForm] = useState<Form | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState<Notice>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (load.data) setForm(toForm(load.data[0]));
  }, [load.data]);

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!form || !load.data) return;
    const [charger, settings] = load.data;
    const { patch, bad } = changes(form, toForm(charger));
    const local: Record<string, string> = Object.fromEntries(bad.map((k) => [k, t('wiring.needNumber')]));
    // The server's cross-field rule, checked here too so it is worded in the reader's language.
    const min = patch.minCurrent ?? charger.minCurrent;
    const max = patch.maxCurrent ?? charger.maxCurrent;
    if (!bad.length && min > max)
      local[patch.minCurrent !== undefined ? 'minCurrent' : 'maxCurrent'] = t('wiring.minAboveMax', { min, max });
    if (Object.keys(local).length) {
      setErrors(local);
      setNotice({ tone: 'error', text: t('wiring.invalid') });
      return;
    }
    if (Object.keys(patch).length === 0) {
      setErrors({});
      setNotice({ tone: 'info', text: t('wiring.noChange') });
      return;
    }
    setBusy(true);
    try {
      const saved = await chargersApi.update(chargerId, patch);
      load.set([saved, settings]);
      setErrors({});
      setNotice({ tone: 'ok', text: t('wiring.saved') });
      onSaved();
    } catch (err) {
      const fields = err instanceof ApiError ? err.fields : {};
      const allShown =
        Object.keys(fields).length > 0 && Object.keys(fields).every((k) => (FIELDS as readonly string[]).includes(k));
      setErrors(fields);
      setNotice({ tone: 'error', text: allShown ? t('wiring.rejected') : describeError(t, err, FIELDS) });
    } finally {
      setBusy(false);
    }
  }

  const set = (k: keyof Form) => (e: { target: { value: string } }) =>
    form && setForm({ ...form, [k]: e.target.value });
  return (
    <Card title={`${t('wiring.title')} · ${chargerId}`}>
      <Async load={load}>
        {([charger, settings]) => {
          if (!form) return null;
          const site = settings.vchpowersequence;
          const rotation = (form.phaseRotation || site) as PhaseRotation;
          const options =
            circuits ??
            (charger.circuitId === null
              ? []
              : [{ id: charger.circuitId, name: t('wiring.circuitRef', { id: charger.circuitId }) }]);
          return (
            <form onSubmit={(e) => void save(e)} noValidate data-testid="wiring-form">
              {!editable ? <div className="state state-info">{t('wiring.readOnly')}</div> : null}
              <div className="form-grid compact">
                <Field name="maxPhase" label={t('wiring.maxPhase')} error={errors.maxPhase}>
                  <select name="maxPhase" value={form.maxPhase} disabled={!editable} onChange={set('maxPhase')}>
                    {[1, 2, 3].map((n) => (
                      <option key={n} value={n}>
                        {t('wiring.phaseCount', { n })}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field name="minCurrent" label={t('wiring.minCurrent')} error={errors.minCurrent}>
                  <input
                    name="minCurrent"
                    inputMode="decimal"
                    value={form.minCurrent}
                    disabled={!editable}
                    onChange={set('minCurrent')}
                  />
                </Field>
                <Field name="maxCurrent" label={t('wiring.maxCurrent')} error={errors.maxCurrent}>
                  <input
                    name="maxCurrent"
                    inputMode="decimal"
                    value={form.maxCurrent}
                    disabled={!editable}
                    onChange={set('maxCurrent')}
                  />
                </Field>
                <Field
                  name="phaseRotation"
                  label={t('wiring.rotation')}
                  error={errors.phaseRotation}
                  hint={t('wiring.rotationHint')}
                >
                  <select
                    name="phaseRotation"
                    value={form.phaseRotation}
                    disabled={!editable}
                    onChange={set('phaseRotation')}
                  >
                    <option value="">{t('wiring.siteDefault', { rotation: site })}</option>
                    {PHASE_ROTATIONS.map((r) => (
                      <option key={r} value={r}>
                        {r}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field name="circuitId" label={t('wiring.circuit')} error={errors.circuitId}>
                  <select name="circuitId" value={form.circuitId} disabled={!editable} onChange={set('circuitId')}>
                    <option value="">{t('wiring.noCircuit')}</option>
                    {options.map((c) => (
                      <option key={c.id} value={String(c.id)}>
                        {c.name}
                      </option>
                    ))}
                  </select>
                </Field>
              </div>
              <p className="field-hint" data-testid="wiring-phases">
                {t('wiring.loads', { phases: loadedPhases(rotation, Number(form.maxPhase)).join(', ') })}
              </p>
              {notice ? (
                <div className={`state state-${notice.tone}`} role="status" data-testid="wiring-notice">
                  {notice.text}
                </div>
              ) : null}
              {editable ? (
                <div className="form-actions">
                  <button className="btn primary" type="submit" disabled={busy} data-testid="wiring-save">
                    {busy ? t('state.saving') : t('wiring.save')}
                  </button>
                </div>
              ) : null}
            </form>
          );
        }}
      </Async>
    </Card>
  );
}
