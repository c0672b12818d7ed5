// The domestic share by year (citizenship = country of exploitation, among the records where
// both are known), with the number it rests on in each point's tooltip.
import { useMemo } from 'preact/hooks';
import { api } from '../../api/client';
import { useI18n } from '../../i18n';
import { AsyncState, useResource } from '../../ui';
import { Basis } from './Basis';
import { Chart } from './Chart';
import type { ChartOption } from './flowsChart';
import type { FlowKey } from './messages';
import { filterKey, filterParams, formatCount, formatShare, type FlowDomestic, type FlowFilter } from './model';

export function DomesticTrend({ filter }: { filter: FlowFilter }) {
  const { t } = useI18n<FlowKey>();
  const domestic = useResource(
    () => api.get('/flows/domestic', { query: { ...filterParams(filter), by: 'year' } }),
    [filterKey(filter)],
  );
  return (
    <figure class="card chart-figure" aria-labelledby="flows-domestic-title">
      <figcaption id="flows-domestic-title">
        <h2>{t('flows.domestic.title')}</h2>
      </figcaption>
      <AsyncState resource={domestic}>{(d) => <Trend domestic={d} />}</AsyncState>
    </figure>
  );
}

function Trend({ domestic }: { domestic: FlowDomestic }) {
  const { t, lang } = useI18n<FlowKey>();
  const rows = useMemo(
    () => domestic.rows.filter((r) => r.year !== undefined).sort((a, b) => (a.year ?? 0) - (b.year ?? 0)),
    [domestic],
  );
  const option = useMemo<ChartOption>(
    () => ({
      color: ['#b5651d'],
      tooltip: {
        trigger: 'axis',
        formatter: (params: { dataIndex: number }[]) => {
          const r = rows[params[0]?.dataIndex ?? -1];
          if (!r) return '';
          return t('flows.domestic.tip', {
            year: String(r.year),
            share: formatShare(r.share, lang, 1),
            domestic: formatCount(r.domestic, lang),
            known: formatCount(r.total_known, lang),
          });
        },
      },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: rows.map((r) => String(r.year)) },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value} %' } },
      series: [
        {
          name: t('flows.domestic.series'),
          type: 'line',
          symbolSize: 7,
          data: rows.map((r) => (r.total_known > 0 ? Math.round(r.share * 1000) / 10 : null)),
        },
      ],
    }),
    [rows, lang],
  );
  if (rows.length === 0) return <p>{t('flows.none')}</p>;
  return (
    <>
      <Basis records={domestic.records} unknown={domestic.unknown} what="flows.basis.unknown_country" />
      <Chart option={option} label={t('flows.domestic.label')} testId="flows-domestic" />
      <details class="data-table">
        <summary>{t('flows.table.show')}</summary>
        <div class="table-scroll">
          <table class="table table-compact" data-testid="flows-domestic-table">
            <caption class="visually-hidden">{t('flows.domestic.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('flows.glotip.year')}</th>
                <th scope="col" class="num">{t('flows.domestic.series')}</th>
                <th scope="col" class="num">{t('flows.domestic.domestic')}</th>
                <th scope="col" class="num">{t('flows.domestic.known')}</th>
                <th scope="col" class="num">{t('flows.domestic.unknown')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.year}>
                  <th scope="row">{r.year}</th>
                  <td class="num">{r.total_known > 0 ? formatShare(r.share, lang, 1) : '–'}</td>
                  <td class="num">{formatCount(r.domestic, lang)}</td>
                  <td class="num">{formatCount(r.total_known, lang)}</td>
                  <td class="num">{formatCount(r.unknown, lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}
