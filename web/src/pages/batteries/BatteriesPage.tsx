import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n/context.tsx';
import { Card, Empty } from '../../components/States.tsx';
import { useDebounced } from '../../components/use-debounced.ts';
import { History } from './History.tsx';
import { PackView } from './PackView.tsx';
import { VehicleEditor } from './VehicleEditor.tsx';
import { VehicleList } from './VehicleList.tsx';

export type LookupKind = 'vin' | 'bms' | 'battery';
type Query = { kind: LookupKind; value: string };

/**
 * Batteries (docs/PRODUCT.md §4, seed 000): look a vehicle or pack up by VIN, BMS number
 * or battery number; edit a vehicle's pack set; move a pack; read the history.
 */
export default function BatteriesPage() {
  const { t } = useI18n();
  const [kind, setKind] = useState<LookupKind>('vin');
  const [value, setValue] = useState('');
  const [query, setQuery] = useState<Query | null>(null);
  const [version, setVersion] = useState(0);
  // The vehicle list follows the look-up box once typing pauses (one request per pause);
  // its page belongs to the filter it was chosen under, so a new filter starts at page 1.
  const filter = useDebounced(kind === 'vin' ? value.trim() : '', 250);
  const [listPage, setListPage] = useState({ filter, page: 1 });
  const page = listPage.filter === filter ? listPage.page : 1;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (value.trim()) setQuery({ kind, value: value.trim() });
  };
  const changed = () => setVersion((v) => v + 1);
  return (
    <div className="page batteries" data-testid="page-batteries">
      <Card title={t('batteries.lookup')}>
        <form className="form-row" onSubmit={submit} data-testid="battery-lookup">
          <div className="segmented" role="group">
            {(['vin', 'bms', 'battery'] as const).map((k) => (
              <button key={k} type="button" className={k === kind ? 'on' : ''} onClick={() => setKind(k)}>
                {t(`batteries.by.${k}`)}
              </button>
            ))}
          </div>
          <input
            name="q"
            className="grow"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            placeholder={t(`batteries.by.${kind}`)}
          />
          <button className="btn primary" type="submit">
            {t('batteries.search')}
          </button>
        </form>
      </Card>
      {!query ? (
        <>
          <Empty>{t('batteries.prompt')}</Empty>
          <VehicleList
            q={filter}
            page={page}
            onPage={(p) => setListPage({ filter, page: p })}
            onOpen={(vin) => {
              setKind('vin');
              setValue(vin);
              setQuery({ kind: 'vin', value: vin });
            }}
          />
        </>
      ) : query.kind === 'vin' ? (
        <div className="grid two">
          <VehicleEditor key={query.value} vin={query.value} onSaved={changed} />
          <History key={`h:${query.value}:${version}`} vin={query.value} />
        </div>
      ) : (
        <div className="grid two">
          <PackView key={`${query.kind}:${query.value}`} kind={query.kind} value={query.value} onMoved={changed} />
          <History
            key={`h:${query.kind}:${query.value}:${version}`}
            batteryNo={query.kind === 'battery' ? query.value : undefined}
            bmsNo={query.kind === 'bms' ? query.value : undefined}
          />
        </div>
      )}
    </div>
  );
}
