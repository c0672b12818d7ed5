// UNODC's GLOTIP country data beside the case records: the share of detected victims who were
// nationals of the country that detected them, per year over every reporting country (a band,
// since "<5" is a count between 1 and 4 and stays an interval through every sum), and each
// country's latest year. Only the years and country filters apply to these figures.
import { useMemo } from 'preact/hooks';
import { api } from '../../api/client';
import { useI18n } from '../../i18n';
import { AsyncState, DataTable, useResource, type Column } from '../../ui';
import { Chart } from './Chart';
import type { ChartOption } from './flowsChart';
import type { FlowKey } from './messages';
import { filterKey, formatCount, formatShare, type CountryNames, type FlowFilter } from './model';
import type { components } from '../../api/schema';

type GlotipRow = components['schemas']['FlowGlotipRow'];
type Interval = components['schemas']['Interval'];

function glotipQuery(filter: FlowFilter) {
  return { from: filter.from, to: filter.to, country: filter.country };
}

function interval(v: Interval, lang: string): string {
  return v.lo === v.hi ? formatCount(v.lo, lang) : `${formatCount(v.lo, lang)}–${formatCount(v.hi, lang)}`;
}

function shareInterval(lo: number, hi: number, lang: string): string {
  const a = formatShare(lo, lang);
  const b = formatShare(hi, lang);
  return a === b ? a : `${a}–${b}`;
}

export function GlotipPanel({ filter, names }: { filter: FlowFilter; names: CountryNames }) {
  const { t } = useI18n<FlowKey>();
  const key = filterKey(glotipQuery(filter));
  const byYear = useResource(() => api.get('/flows/glotip', { query: { ...glotipQuery(filter), by: 'year' } }), [key]);
  const byCountry = useResource(() => api.get('/flows/glotip', { query: { ...glotipQuery(filter), by: 'country' } }), [key]);
  return (
    <section class="card" aria-labelledby="flows-glotip-title" data-testid="flows-glotip">
      <h2 id="flows-glotip-title">{t('flows.glotip.title')}</h2>
      <p class="muted">{t('flows.glotip.intro')}</p>
      <AsyncState resource={byYear}>{(d) => <Band rows={d.rows} />}</AsyncState>
      <AsyncState resource={byCountry}>{(d) => <Latest rows={d.rows} names={names} />}</AsyncState>
    </section>
  );
}

function Band({ rows }: { rows: GlotipRow[] }) {
  const { t, lang } = useI18n<FlowKey>();
  const years = useMemo(() => [...rows].filter((r) => r.total_known.hi > 0).sort((a, b) => a.year - b.year), [rows]);
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: {
        trigger: 'axis',
        formatter: (params: { dataIndex: number }[]) => {
          const r = years[params[0]?.dataIndex ?? -1];
          if (!r) return '';
          return t('flows.glotip.tip', {
            year: String(r.year),
            share: shareInterval(r.share.lo, r.share.hi, lang),
            known: interval(r.total_known, lang),
          });
        },
      },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: years.map((r) => String(r.year)) },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value} %' } },
      series: [
        // A band: the lower bound, then the width up to the upper bound stacked on it.
        { type: 'line', stack: 'share', symbol: 'none', lineStyle: { color: '#b5651d' }, data: years.map((r) => Math.round(r.share.lo * 1000) / 10) },
        {
          type: 'line',
          stack: 'share',
          symbol: 'none',
          lineStyle: { color: '#b5651d' },
          areaStyle: { color: '#b5651d', opacity: 0.25 },
          data: years.map((r) => Math.round((r.share.hi - r.share.lo) * 1000) / 10),
        },
      ],
    }),
    [years, lang],
  );
  if (years.length === 0) return <p>{t('flows.none')}</p>;
  return <Chart option={option} label={t('flows.glotip.label')} testId="flows-glotip-chart" />;
}

function Latest({ rows, names }: { rows: GlotipRow[]; names: CountryNames }) {
  const { t, lang } = useI18n<FlowKey>();
  const latest = useMemo(() => {
    const by = new Map<string, GlotipRow>();
    for (const r of rows) {
      if (!r.country || r.total_known.hi === 0) continue;
      const seen = by.get(r.country);
      if (!seen || r.year > seen.year) by.set(r.country, r);
    }
    return [...by.values()].sort((a, b) => names(a.country ?? '').localeCompare(names(b.country ?? '')));
  }, [rows, names]);
  const columns: Column<GlotipRow>[] = [
    { key: 'country', header: t('flows.glotip.country'), cell: (r) => names(r.country ?? '') },
    { key: 'year', header: t('flows.glotip.year'), class: 'num', cell: (r) => r.year },
    { key: 'domestic', header: t('flows.glotip.domestic'), class: 'num', cell: (r) => interval(r.domestic, lang) },
    { key: 'foreign', header: t('flows.glotip.foreign'), class: 'num', cell: (r) => interval(r.foreign, lang) },
    { key: 'share', header: t('flows.glotip.share'), class: 'num', cell: (r) => shareInterval(r.share.lo, r.share.hi, lang) },
    {
      key: 'unplaced',
      header: t('flows.glotip.unplaced'),
      class: 'num',
      cell: (r) => interval({ lo: r.unknown.lo + r.unmapped.lo, hi: r.unknown.hi + r.unmapped.hi }, lang),
    },
  ];
  return (
    <details class="data-table">
      <summary>{t('flows.glotip.latest', { n: latest.length })}</summary>
      <DataTable
        caption={t('flows.glotip.caption')}
        columns={columns}
        rows={latest}
        rowKey={(r) => r.country ?? ''}
        testId="flows-glotip-table"
        empty={t('flows.none')}
        compact
      />
    </details>
  );
}
