// The filters every panel of the page applies: years, a country (as citizenship or as country
// of exploitation), a UN M49 region, a data source, sex and age group. Applied together, and
// kept in the address so that a reload or a shared link shows the same view.
import { useState } from 'preact/hooks';
import { useI18n } from '../../i18n';
import type { FlowKey } from './messages';
import { AGE_GROUPS, M49, SEXES, type FlowFilter, type FlowOverview } from './model';

const ANY = '';

export function Filters({
  overview,
  filter,
  onApply,
}: {
  overview: FlowOverview;
  filter: FlowFilter;
  onApply: (filter: FlowFilter) => void;
}) {
  const { t } = useI18n<FlowKey>();
  const [draft, setDraft] = useState<FlowFilter>(filter);
  const first = overview.years.first;
  const last = overview.years.last;
  const years: number[] = [];
  if (first !== null && last !== null) for (let y = first; y <= last; y++) years.push(y);
  const countries = [...overview.countries].sort((a, b) => a.name.localeCompare(b.name));

  const set = <K extends keyof FlowFilter>(key: K) => (e: Event) => {
    const value = (e.currentTarget as HTMLSelectElement).value;
    const next = { ...draft } as Record<string, unknown>;
    if (value === ANY) delete next[key];
    else next[key] = key === 'from' || key === 'to' ? Number(value) : value;
    setDraft(next as FlowFilter);
  };
  const select = (key: keyof FlowFilter, children: preact.ComponentChildren) => (
    <div class="field">
      <label for={'flows-filter-' + key}>{t(('flows.filter.' + key) as FlowKey)}</label>
      <select id={'flows-filter-' + key} name={key} value={draft[key] === undefined ? ANY : String(draft[key])} onChange={set(key)}>
        <option value={ANY}>{t('flows.filter.any')}</option>
        {children}
      </select>
    </div>
  );

  return (
    <form
      class="card flows-filters"
      aria-label={t('flows.filter.title')}
      data-testid="flows-filters"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(draft);
      }}
    >
      <div class="field-row">
        {select('from', years.map((y) => <option key={y} value={y}>{y}</option>))}
        {select('to', years.map((y) => <option key={y} value={y}>{y}</option>))}
        {select(
          'country',
          countries.map((c) => (
            <option key={c.alpha3} value={c.alpha3}>
              {c.name}
            </option>
          )),
        )}
        {select(
          'region',
          (['region', 'subregion', 'intermediate'] as const).map((level) => (
            <optgroup key={level} label={t(('flows.region.level.' + level) as FlowKey)}>
              {M49[level].map((name) => (
                <option key={name} value={name}>
                  {t(('flows.region.' + name) as FlowKey)}
                </option>
              ))}
            </optgroup>
          )),
        )}
        {select('source', overview.sources.map((s) => <option key={s} value={s}>{s}</option>))}
        {select('sex', SEXES.map((s) => <option key={s} value={s}>{t(('flows.sex.' + s) as FlowKey)}</option>))}
        {select('age', AGE_GROUPS.map((a) => <option key={a} value={a}>{t(('flows.age.' + a) as FlowKey)}</option>))}
      </div>
      <div class="form-actions">
        <button type="submit" class="button button-primary">
          {t('flows.filter.apply')}
        </button>
        <button
          type="button"
          class="button"
          onClick={() => {
            setDraft({});
            onApply({});
          }}
        >
          {t('flows.filter.clear')}
        </button>
      </div>
    </form>
  );
}
