// The dashboards (issue #11 item 6): service capacity against demand by type and region,
// provider funding against the pre-pandemic baseline, documentation and justice delays, and
// investigations opened per month against the baseline year. Counts of 1-4 persons come
// withheld from the server and are shown as "<5"; each chart has its figures in a table.
import { api } from '../../api/client';
import { useI18n } from '../../i18n';
import { AsyncState, Card, useResource } from '../../ui';
import { Chart } from './Chart';
import type { ChartOption } from './casesChart';
import type { CasesKey } from './messages';
import { cellText, cellValue } from './model';

export function Dashboards() {
  const { t } = useI18n<CasesKey>();
  return (
    <>
      <h1>{t('cases.dash.title')}</h1>
      <p class="lead">{t('cases.dash.intro')}</p>
      <div class="cases-dashboards">
        <Capacity />
        <Funding />
        <Documentation />
        <Justice />
        <Investigations />
      </div>
    </>
  );
}

function bars(categories: string[], series: { name: string; data: number[]; stack?: string }[], extra: Partial<Record<string, unknown>> = {}): ChartOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 48, right: 16, top: 36, bottom: 64 },
    xAxis: { type: 'category', data: categories, axisLabel: { rotate: categories.length > 6 ? 35 : 0, interval: 0 } },
    yAxis: { type: 'value' },
    series: series.map((s) => ({ type: 'bar', ...s })),
    ...extra,
  };
}

function Empty() {
  const { t } = useI18n<CasesKey>();
  return <p data-testid="dash-empty">{t('cases.dash.empty')}</p>;
}

function Capacity() {
  const { t, tid } = useI18n<CasesKey>();
  const data = useResource(() => api.get('/dashboards/capacity'), []);
  return (
    <Card title={t('cases.dash.capacity')} titleId="dash-capacity" data-testid="dash-capacity">
      <AsyncState resource={data}>
        {(d) => {
          if (d.cells.length === 0) return <Empty />;
          // By service type, summed over regions; the table keeps each region.
          const services = [...new Set(d.cells.map((c) => c.service))];
          const sum = (f: (c: (typeof d.cells)[number]) => number) => services.map((s) => d.cells.filter((c) => c.service === s).reduce((a, c) => a + f(c), 0));
          return (
            <>
              <Chart
                testId="chart-capacity"
                label={t('cases.dash.capacity')}
                option={bars(services.map((s) => tid('cases.service', s)), [
                  { name: t('cases.dash.occupied'), data: sum((c) => c.occupancy), stack: 'places' },
                  { name: t('cases.dash.free'), data: sum((c) => c.free), stack: 'places' },
                  { name: t('cases.dash.demand', { days: d.days }), data: sum((c) => cellValue(c.demand)) },
                ])}
              />
              <details>
                <summary>{t('cases.dash.table')}</summary>
                <table class="cases-table">
                  <thead>
                    <tr>
                      <th>{t('cases.dash.service')}</th>
                      <th>{t('cases.providers.region')}</th>
                      <th>{t('cases.providers.capacity')}</th>
                      <th>{t('cases.dash.free')}</th>
                      <th>{t('cases.dash.demand', { days: d.days })}</th>
                      <th>{t('cases.dash.declined')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {d.cells.map((c) => (
                      <tr key={c.service + c.region}>
                        <td>{tid('cases.service', c.service)}</td>
                        <td>{c.region}</td>
                        <td>{c.capacity}</td>
                        <td class={c.free === 0 ? 'cases-flag' : undefined}>{c.free}</td>
                        <td>{cellText(c.demand, d.small_cell)}</td>
                        <td>{cellText(c.declined, d.small_cell)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </details>
            </>
          );
        }}
      </AsyncState>
    </Card>
  );
}

function Funding() {
  const { t, tid } = useI18n<CasesKey>();
  const data = useResource(() => api.get('/dashboards/funding'), []);
  return (
    <Card title={t('cases.dash.funding', { year: '2019' })} titleId="dash-funding" data-testid="dash-funding">
      <AsyncState resource={data}>
        {(d) => {
          if (d.cells.length === 0) return <Empty />;
          const services = [...new Set(d.cells.map((c) => c.service))];
          const sum = (f: (c: (typeof d.cells)[number]) => number) => services.map((s) => d.cells.filter((c) => c.service === s).reduce((a, c) => a + f(c), 0));
          return (
            <>
              <Chart
                testId="chart-funding"
                label={t('cases.dash.funding', { year: String(d.baseline_year) })}
                option={bars(services.map((s) => tid('cases.service', s)), [
                  { name: String(d.baseline_year), data: sum((c) => c.baseline) },
                  { name: t('cases.dash.this_year'), data: sum((c) => c.this_year) },
                ])}
              />
              <p class="muted">{t('cases.dash.below', { n: d.cells.reduce((a, c) => a + c.providers_below_baseline, 0) })}</p>
            </>
          );
        }}
      </AsyncState>
    </Card>
  );
}

function Documentation() {
  const { t, tid } = useI18n<CasesKey>();
  const data = useResource(() => api.get('/dashboards/documentation'), []);
  return (
    <Card title={t('cases.dash.documentation')} titleId="dash-documentation" data-testid="dash-documentation">
      <AsyncState resource={data}>
        {(d) => {
          if (d.decisions.length === 0 && d.pending.length === 0) return <Empty />;
          const months = [...new Set(d.decisions.map((r) => r.month))].sort();
          const kinds = [...new Set(d.decisions.map((r) => r.kind))];
          return (
            <>
              <Chart
                testId="chart-documentation"
                label={t('cases.dash.documentation')}
                option={{
                  tooltip: { trigger: 'axis' },
                  legend: { top: 0 },
                  grid: { left: 48, right: 16, top: 36, bottom: 40 },
                  xAxis: { type: 'category', data: months },
                  yAxis: { type: 'value', name: t('cases.dash.days') },
                  series: kinds.map((k) => ({
                    type: 'line',
                    name: tid('cases.permit', k),
                    connectNulls: true,
                    data: months.map((m) => d.decisions.find((r) => r.kind === k && r.month === m)?.median_days ?? null),
                    markLine: { silent: true, symbol: 'none', data: [{ yAxis: d.pending_days }] },
                  })),
                }}
              />
              <ul data-testid="dash-pending">
                {d.pending.map((p) => (
                  <li key={p.kind}>
                    {t('cases.dash.pending', {
                      kind: tid('cases.permit', p.kind),
                      pending: cellText(p.pending, d.small_cell),
                      late: cellText(p.late, d.small_cell),
                      days: d.pending_days,
                      median: p.median_days_pending === null ? '–' : String(p.median_days_pending),
                    })}
                  </li>
                ))}
              </ul>
            </>
          );
        }}
      </AsyncState>
    </Card>
  );
}

function Justice() {
  const { t, tid } = useI18n<CasesKey>();
  const data = useResource(() => api.get('/dashboards/justice'), []);
  return (
    <Card title={t('cases.dash.justice')} titleId="dash-justice" data-testid="dash-justice">
      <AsyncState resource={data}>
        {(d) => {
          if (d.kinds.length === 0) return <Empty />;
          const kinds = d.kinds.map((k) => tid('cases.proceeding', k.kind));
          return (
            <>
              <Chart
                testId="chart-justice"
                label={t('cases.dash.justice')}
                option={bars(kinds, [
                  { name: t('cases.dash.open'), data: d.kinds.map((k) => cellValue(k.open)) },
                  { name: t('cases.dash.stalled', { days: d.stall_days }), data: d.kinds.map((k) => cellValue(k.stalled)) },
                  { name: t('cases.dash.decided'), data: d.kinds.map((k) => cellValue(k.decided)) },
                ])}
              />
              <ul>
                {d.kinds.map((k) => (
                  <li key={k.kind}>
                    {t('cases.dash.justice_row', {
                      kind: tid('cases.proceeding', k.kind),
                      open: cellText(k.open, d.small_cell),
                      stalled: cellText(k.stalled, d.small_cell),
                      idle: k.median_idle_days === null ? '–' : String(k.median_idle_days),
                    })}
                  </li>
                ))}
              </ul>
            </>
          );
        }}
      </AsyncState>
    </Card>
  );
}

function Investigations() {
  const { t } = useI18n<CasesKey>();
  const data = useResource(() => api.get('/dashboards/investigations'), []);
  return (
    <Card title={t('cases.dash.investigations')} titleId="dash-investigations" data-testid="dash-investigations">
      <AsyncState resource={data}>
        {(d) => {
          if (d.months.length === 0) return <Empty />;
          const months = d.months.map((m) => m.month);
          return (
            <Chart
              testId="chart-investigations"
              label={t('cases.dash.investigations')}
              option={{
                tooltip: { trigger: 'axis' },
                legend: { top: 0 },
                grid: { left: 48, right: 16, top: 36, bottom: 40 },
                xAxis: { type: 'category', data: months },
                yAxis: { type: 'value' },
                series: [
                  { type: 'bar', name: t('cases.dash.opened'), data: d.months.map((m) => m.opened.count ?? 0) },
                  {
                    type: 'line',
                    name: t('cases.dash.baseline', { year: String(d.baseline_year) }),
                    symbol: 'none',
                    data: months.map(() => d.baseline_monthly_mean),
                  },
                ],
              }}
            />
          );
        }}
      </AsyncState>
    </Card>
  );
}
