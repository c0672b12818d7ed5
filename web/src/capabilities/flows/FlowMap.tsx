// The world flow map: each corridor (citizenship → country of exploitation) an arrow between
// the two countries, its width and opacity weighted by the count (the largest MAP_CORRIDORS
// corridors across borders); domestic cases (citizenship = country of exploitation) as the
// country's colour, darker for more.
import { useMemo } from 'preact/hooks';
import { api } from '../../api/client';
import { useI18n } from '../../i18n';
import { AsyncState, useResource } from '../../ui';
import { Chart, useCharts } from './Chart';
import type { ChartOption } from './flowsChart';
import type { FlowKey } from './messages';
import {
  filterKey,
  filterParams,
  formatCount,
  formatShare,
  type CountryNames,
  type FlowCorridors,
  type FlowCountry,
  type FlowDomestic,
  type FlowFilter,
} from './model';

const MAP_CORRIDORS = 50;

export function FlowMap({
  filter,
  corridors,
  countries,
  names,
}: {
  filter: FlowFilter;
  corridors: FlowCorridors;
  countries: readonly FlowCountry[];
  names: CountryNames;
}) {
  const { t } = useI18n<FlowKey>();
  const domestic = useResource(
    () => api.get('/flows/domestic', { query: { ...filterParams(filter), by: 'country' } }),
    [filterKey(filter)],
  );
  return (
    <section class="card" aria-labelledby="flows-map-title" data-testid="flows-map-card">
      <h2 id="flows-map-title">{t('flows.map.title')}</h2>
      <p class="muted">{t('flows.map.intro', { n: MAP_CORRIDORS })}</p>
      <AsyncState resource={domestic}>
        {(d) => <MapChart corridors={corridors} domestic={d} countries={countries} names={names} />}
      </AsyncState>
    </section>
  );
}

function MapChart({
  corridors,
  domestic,
  countries,
  names,
}: {
  corridors: FlowCorridors;
  domestic: FlowDomestic;
  countries: readonly FlowCountry[];
  names: CountryNames;
}) {
  const { t, lang } = useI18n<FlowKey>();
  const charts = useCharts();

  const drawn = useMemo(() => {
    if (!charts) return null;
    charts.setCountryCodes(countries);
    charts.registerWorld();
    const points = charts.countryPoints();
    const across = corridors.corridors.filter((c) => c.citizenship !== c.exploitation);
    const top = across.slice(0, MAP_CORRIDORS);
    const lines = top.filter((c) => points.has(c.citizenship) && points.has(c.exploitation));
    return { points, lines, missing: top.length - lines.length };
  }, [charts, corridors, countries]);

  const option = useMemo<ChartOption | null>(() => {
    if (!charts || !drawn) return null;
    const max = Math.max(1, ...drawn.lines.map((c) => c.count));
    const rows = domestic.rows.filter((r) => r.country && r.domestic > 0);
    const maxDomestic = Math.max(1, ...rows.map((r) => r.domestic));
    const byCountry = new Map(domestic.rows.map((r) => [r.country, r]));
    return {
      tooltip: {
        trigger: 'item',
        formatter: (p: { seriesType: string; name: string; data?: { value?: number; from?: string; to?: string } }) => {
          if (p.seriesType === 'lines' && p.data?.from && p.data.to)
            return t('flows.map.tip_corridor', {
              from: names(p.data.from),
              to: names(p.data.to),
              count: formatCount(p.data.value ?? 0, lang),
            });
          const row = byCountry.get(p.name);
          if (!row) return names(p.name);
          return t('flows.map.tip_country', {
            country: names(p.name),
            domestic: formatCount(row.domestic, lang),
            known: formatCount(row.total_known, lang),
            share: formatShare(row.share, lang),
          });
        },
      },
      geo: {
        map: charts.WORLD_MAP,
        roam: true,
        // The whole world inside the box, whatever its shape (a phone's is taller than wide).
        left: 8,
        right: 8,
        top: 8,
        bottom: 8,
        itemStyle: { areaColor: '#e6ebef', borderColor: '#ffffff', borderWidth: 0.5 },
        emphasis: { label: { show: false }, itemStyle: { areaColor: '#c9d6df' } },
        select: { disabled: true },
      },
      visualMap: {
        type: 'continuous',
        seriesIndex: 0,
        min: 0,
        max: maxDomestic,
        left: 8,
        bottom: 8,
        itemHeight: 70,
        itemWidth: 12,
        text: [t('flows.map.domestic_more'), t('flows.map.domestic_fewer')],
        inRange: { color: ['#f6e7d6', '#b5651d'] },
        calculable: false,
      },
      series: [
        {
          type: 'map',
          name: t('flows.map.domestic'),
          geoIndex: 0,
          data: rows.map((r) => ({ name: r.country, value: r.domestic })),
        },
        {
          type: 'lines',
          name: t('flows.map.corridors'),
          coordinateSystem: 'geo',
          zlevel: 1,
          symbol: ['none', 'arrow'],
          symbolSize: 8,
          lineStyle: { color: '#1f6f8b', curveness: 0.25 },
          emphasis: { lineStyle: { color: '#b23a48' } },
          data: drawn.lines.map((c) => ({
            from: c.citizenship,
            to: c.exploitation,
            value: c.count,
            coords: [drawn.points.get(c.citizenship), drawn.points.get(c.exploitation)],
            lineStyle: { width: 0.6 + 5.4 * (c.count / max), opacity: 0.3 + 0.6 * (c.count / max) },
          })),
        },
      ],
    };
  }, [charts, drawn, domestic, lang, names]);

  if (!option || !drawn) return <p role="status">{t('common.loading')}</p>;
  return (
    <>
      <Chart
        option={option}
        renderer="canvas"
        class="chart-map"
        label={t('flows.map.label', { n: drawn.lines.length })}
        testId="flows-map"
      />
      {drawn.missing > 0 && <p class="muted">{t('flows.map.missing', { n: drawn.missing })}</p>}
    </>
  );
}
