// The flows page (issue #9), for the analyst: aggregates only, never a record. What the dataset
// holds; the filters; the world flow map and the corridor table; the domestic share by year and
// the forms of exploitation over time; the shifts between two periods with their explanations
// and the changepoints; UNODC's GLOTIP country data when imported; and the release of
// privacy-protected figures. Before any import, how to import.
import { useMemo, useState } from 'preact/hooks';
import { api } from '../../api/client';
import { useI18n } from '../../i18n';
import { AsyncState, useResource } from '../../ui';
import type { PageProps } from '../types';
import { CategoriesChart } from './CategoriesChart';
import { CorridorTable } from './CorridorTable';
import { DomesticTrend } from './DomesticTrend';
import { EmptyState } from './EmptyState';
import { Filters } from './Filters';
import { FlowMap } from './FlowMap';
import { GlotipPanel } from './GlotipPanel';
import type { FlowKey } from './messages';
import {
  countryNames,
  filterFromAddress,
  filterKey,
  filterParams,
  filterToAddress,
  type CountryNames,
  type FlowFilter,
  type FlowOverview,
} from './model';
import { ReleasePanel } from './ReleasePanel';
import { ShiftList } from './ShiftList';
import './flows.css';

export function FlowsPage({ me }: PageProps) {
  const { t } = useI18n<FlowKey>();
  const overview = useResource(() => api.get('/flows'), []);
  return (
    <section class="page" data-testid="flows-page">
      <h1>{t('flows.title')}</h1>
      <p class="lead">{t('flows.intro')}</p>
      <AsyncState resource={overview}>
        {(o) =>
          o.records === 0 && o.glotip_values === 0 ? (
            <EmptyState />
          ) : o.records === 0 ? (
            <GlotipOnly overview={o} />
          ) : (
            <Panels overview={o} mayPublish={me.permissions.includes('flows.release')} onPublished={overview.reload} />
          )
        }
      </AsyncState>
    </section>
  );
}

function Panels({ overview, mayPublish, onPublished }: { overview: FlowOverview; mayPublish: boolean; onPublished: () => void }) {
  const { t } = useI18n<FlowKey>();
  const [filter, setFilter] = useState<FlowFilter>(() => filterFromAddress());
  const names = useMemo(() => countryNames(overview.countries), [overview.countries]);
  const apply = (next: FlowFilter) => {
    setFilter(filterParams(next));
    filterToAddress(next);
  };
  return (
    <>
      <p data-testid="flows-dataset">
        {t('flows.dataset', {
          n: overview.records,
          count: overview.imports.length,
          first: overview.years.first === null ? '–' : String(overview.years.first),
          last: overview.years.last === null ? '–' : String(overview.years.last),
        })}{' '}
        {overview.sources.length > 0 && t('flows.sources', { sources: overview.sources.join(', ') })}
      </p>
      <Filters overview={overview} filter={filter} onApply={apply} />
      <CorridorPanels key={filterKey(filter)} filter={filter} overview={overview} names={names} />
      <div class="chart-grid flows-charts">
        <DomesticTrend filter={filter} />
        <CategoriesChart filter={filter} />
      </div>
      <ShiftList filter={filter} />
      {overview.glotip_values > 0 && <GlotipPanel filter={filter} names={names} />}
      <ReleasePanel
        key={filterKey(filter)}
        filter={filter}
        overview={overview}
        names={names}
        mayPublish={mayPublish}
        onPublished={onPublished}
      />
    </>
  );
}

/** A store with UNODC country data but no case records yet. */
function GlotipOnly({ overview }: { overview: FlowOverview }) {
  const { t } = useI18n<FlowKey>();
  const [filter, setFilter] = useState<FlowFilter>(() => filterFromAddress());
  const names = useMemo(() => countryNames(overview.countries), [overview.countries]);
  return (
    <>
      <p class="notice notice-info">{t('flows.glotip.only')}</p>
      <Filters
        overview={overview}
        filter={filter}
        onApply={(next) => {
          setFilter(filterParams(next));
          filterToAddress(next);
        }}
      />
      <GlotipPanel filter={filter} names={names} />
      <EmptyState />
    </>
  );
}

/** The map and the table, from one request for the corridors. */
function CorridorPanels({ filter, overview, names }: { filter: FlowFilter; overview: FlowOverview; names: CountryNames }) {
  const corridors = useResource(() => api.get('/flows/corridors', { query: filterParams(filter) }), [filterKey(filter)]);
  return (
    <AsyncState resource={corridors}>
      {(c) => (
        <>
          <FlowMap filter={filter} corridors={c} countries={overview.countries} names={names} />
          <CorridorTable corridors={c} names={names} />
        </>
      )}
    </AsyncState>
  );
}
