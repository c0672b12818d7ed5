// Forms of exploitation over time, or types of labour or sexual exploitation, means of control,
// the recruiter's relationship: records per category and year as stacked bars. A record may
// count in several categories; records with none of the group known are counted apart.
import { useMemo, useState } from 'preact/hooks';
import { api } from '../../api/client';
import { useI18n } from '../../i18n';
import { AsyncState, Select, useResource } from '../../ui';
import { Basis } from './Basis';
import { Chart } from './Chart';
import type { ChartOption } from './flowsChart';
import type { FlowKey } from './messages';
import {
  CATEGORY_GROUPS,
  categoryWords,
  filterKey,
  filterParams,
  formatCount,
  type FlowCategories,
  type FlowCategoryGroup,
  type FlowFilter,
} from './model';

const PALETTE = ['#1f6f8b', '#b23a48', '#d08c2e', '#6b5ca5', '#6c8a6b', '#a4527a', '#3d8fb5', '#8a8f94', '#b5651d', '#4f7c3a', '#7a4f9e', '#c2a83e'];

export function CategoriesChart({ filter }: { filter: FlowFilter }) {
  const { t } = useI18n<FlowKey>();
  const [group, setGroup] = useState<FlowCategoryGroup>('exploitation');
  const categories = useResource(
    () => api.get('/flows/categories', { query: { ...filterParams(filter), group } }),
    [filterKey(filter), group],
  );
  return (
    <figure class="card chart-figure" aria-labelledby="flows-categories-title">
      <figcaption id="flows-categories-title">
        <h2>{t(('flows.group.title.' + group) as FlowKey)}</h2>
      </figcaption>
      <Select
        id="flows-group"
        class="field-inline"
        label={t('flows.group.label')}
        value={group}
        options={CATEGORY_GROUPS}
        optionLabel={(g) => t(('flows.group.' + g) as FlowKey)}
        onChange={setGroup}
      />
      <AsyncState resource={categories}>{(c) => <Bars categories={c} />}</AsyncState>
    </figure>
  );
}

function Bars({ categories }: { categories: FlowCategories }) {
  const { t, lang } = useI18n<FlowKey>();
  const label = (name: string) => {
    const key = 'flows.cat.' + name;
    const text = t(key as FlowKey);
    return text === key ? categoryWords(name) : text;
  };
  const years = useMemo(() => [...categories.years].sort((a, b) => a.year - b.year), [categories]);
  const option = useMemo<ChartOption>(
    () => ({
      color: PALETTE,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { type: 'scroll', top: 0, left: 'center' },
      grid: { left: 8, right: 8, top: 48, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: years.map((y) => String(y.year)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: categories.categories.map((name) => ({
        name: label(name),
        type: 'bar',
        stack: 'categories',
        data: years.map((y) => y.counts[name] ?? 0),
      })),
    }),
    [categories, years, lang],
  );
  if (years.length === 0 || categories.categories.length === 0) return <p>{t('flows.none')}</p>;
  return (
    <>
      <Basis records={categories.records} unknown={categories.unknown} what="flows.basis.unknown_category" />
      {categories.unknown_year > 0 && <p class="muted">{t('flows.basis.unknown_year', { n: categories.unknown_year })}</p>}
      <Chart option={option} label={t('flows.categories.label', { group: t(('flows.group.' + categories.group) as FlowKey) })} testId="flows-categories" />
      <details class="data-table">
        <summary>{t('flows.table.show')}</summary>
        <div class="table-scroll">
          <table class="table table-compact" data-testid="flows-categories-table">
            <caption class="visually-hidden">{t(('flows.group.title.' + categories.group) as FlowKey)}</caption>
            <thead>
              <tr>
                <th scope="col">{t('flows.glotip.year')}</th>
                {categories.categories.map((name) => (
                  <th scope="col" class="num" key={name}>
                    {label(name)}
                  </th>
                ))}
                <th scope="col" class="num">{t('flows.categories.known')}</th>
                <th scope="col" class="num">{t('flows.categories.unknown')}</th>
              </tr>
            </thead>
            <tbody>
              {years.map((y) => (
                <tr key={y.year}>
                  <th scope="row">{y.year}</th>
                  {categories.categories.map((name) => (
                    <td class="num" key={name}>
                      {formatCount(y.counts[name] ?? 0, lang)}
                    </td>
                  ))}
                  <td class="num">{formatCount(y.known, lang)}</td>
                  <td class="num">{formatCount(y.unknown, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}
