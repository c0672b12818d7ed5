// Screening coverage (screenings.coverage): per month and encounter source, persons encountered
// against persons screened, the six outcomes and the three actions (in the table), and the share
// of own nationals among presumed victims. Two ECharts charts, and the same figures as a table
// for screen readers and print.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { Outcome } from '../../api/types';
import { ErrorNotice, useResource } from '../../ui';
import type { ScreeningKey } from './messages';
import { useI18n } from '../../i18n';
import type { ChartHandle, ChartOption } from './coverageChart';
import { readCoverage, type CoverageRow, type NextAction } from './model';

const ALL = '';

// A calm palette with enough contrast against white; presumed victims stand out.
const COLOURS = {
  encountered: '#9fb3c8',
  screened: '#1f6f8b',
  share: '#b5651d',
};
// Most serious first: the order of the legend and of the table's columns.
const OUTCOME_COLOURS: Record<string, string> = {
  presumed_trafficking: '#b23a48',
  possible_trafficking: '#d08c2e',
  coercion_only: '#a4527a',
  exploitation_only: '#6b5ca5',
  no_indication: '#6c8a6b',
  insufficient_information: '#8a8f94',
};
const ACTIONS: NextAction[] = ['refer_now', 'complete_interview', 'no_further_action'];

interface MonthTotals {
  month: string;
  encountered: number;
  screened: number;
  outcomes: Record<string, number>;
  presumed: number;
  ownNationals: number;
  /** When only shares (no counts) are known: presumed-weighted mean of the shares. */
  share?: number;
}

function totalsByMonth(rows: CoverageRow[]): MonthTotals[] {
  const months = new Map<string, MonthTotals & { shareWeight: number; shareSum: number }>();
  for (const r of rows) {
    let m = months.get(r.month);
    if (!m) {
      m = { month: r.month, encountered: 0, screened: 0, outcomes: {}, presumed: 0, ownNationals: 0, shareWeight: 0, shareSum: 0 };
      months.set(r.month, m);
    }
    m.encountered += r.encountered;
    m.screened += r.screened;
    for (const [k, v] of Object.entries(r.outcomes)) m.outcomes[k] = (m.outcomes[k] ?? 0) + v;
    m.presumed += r.presumed ?? 0;
    m.ownNationals += r.ownNationals ?? 0;
    if (r.ownShare !== undefined) {
      const w = r.presumed ?? 1;
      m.shareSum += r.ownShare * w;
      m.shareWeight += w;
    }
  }
  return [...months.values()]
    .sort((a, b) => a.month.localeCompare(b.month))
    .map((m) => ({
      ...m,
      share: m.presumed > 0 && m.ownNationals > 0 ? m.ownNationals / m.presumed : m.shareWeight > 0 ? m.shareSum / m.shareWeight : undefined,
    }));
}

function percent(v: number | undefined, lang: string): string {
  return v === undefined ? '–' : new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 }).format(v);
}

export function Coverage() {
  const { t, tid, lang } = useI18n<ScreeningKey>();
  const coverage = useResource(() => api.get('/screenings/coverage'), []);
  const [source, setSource] = useState(ALL);
  const rows: CoverageRow[] | null = useMemo(() => (coverage.data ? readCoverage(coverage.data) : null), [coverage.data]);
  const country = coverage.data?.country ?? undefined;

  const sources = useMemo(() => [...new Set((rows ?? []).map((r) => r.source).filter(Boolean))].sort(), [rows]);
  const filtered = useMemo(() => (rows ?? []).filter((r) => source === ALL || r.source === source), [rows, source]);
  const months = useMemo(() => totalsByMonth(filtered), [filtered]);
  const outcomeIds = useMemo(() => {
    const ids = new Set<Outcome>();
    for (const r of rows ?? []) for (const k of Object.keys(r.outcomes) as Outcome[]) ids.add(k);
    return [...ids].sort((a, b) => Object.keys(OUTCOME_COLOURS).indexOf(a) - Object.keys(OUTCOME_COLOURS).indexOf(b));
  }, [rows]);

  const shareLabel = t('coverage.share_own') + (country ? ` (${country})` : '');
  const coverageOption = useMemo<ChartOption>(
    () => ({
      color: [COLOURS.encountered, COLOURS.screened, COLOURS.share],
      tooltip: { trigger: 'axis' },
      legend: { top: 0, left: 'center' },
      grid: { left: 8, right: 8, top: 64, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: months.map((m) => m.month) },
      yAxis: [
        { type: 'value', minInterval: 1 },
        { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value} %' }, splitLine: { show: false } },
      ],
      series: [
        { name: t('coverage.encountered'), type: 'bar', data: months.map((m) => m.encountered) },
        { name: t('coverage.screened'), type: 'bar', data: months.map((m) => m.screened) },
        {
          name: shareLabel,
          type: 'line',
          yAxisIndex: 1,
          connectNulls: true,
          data: months.map((m) => (m.share === undefined ? null : Math.round(m.share * 1000) / 10)),
        },
      ],
    }),
    [months, lang, shareLabel],
  );

  const outcomesOption = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { top: 0, left: 'center' },
      grid: { left: 8, right: 8, top: 64, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: months.map((m) => m.month) },
      yAxis: { type: 'value', minInterval: 1 },
      series: outcomeIds.map((id) => ({
        name: tid('outcome', id),
        type: 'bar',
        stack: 'outcomes',
        itemStyle: OUTCOME_COLOURS[id] ? { color: OUTCOME_COLOURS[id] } : undefined,
        data: months.map((m) => m.outcomes[id] ?? 0),
      })),
    }),
    [months, outcomeIds, lang],
  );

  return (
    <section class="card" aria-labelledby="coverage-title" data-testid="coverage">
      <h2 id="coverage-title">{t('coverage.title')}</h2>
      <p class="muted">{t('coverage.intro')}</p>
      {coverage.error && <ErrorNotice error={coverage.error} onRetry={coverage.reload} />}
      {!rows && !coverage.error && <p role="status">{t('common.loading')}</p>}
      {rows && rows.length === 0 && <p>{t('coverage.none')}</p>}
      {(coverage.data?.suppressed_cells ?? 0) > 0 && (
        <p class="muted" data-testid="coverage-suppressed">
          {t('coverage.suppressed', { n: coverage.data?.suppressed_cells ?? 0 })}
        </p>
      )}
      {rows && rows.length > 0 && (
        <>
          {sources.length > 1 && (
            <div class="field field-inline">
              <label for="coverage-source">{t('coverage.source_filter')}</label>
              <select id="coverage-source" value={source} onChange={(e) => setSource((e.currentTarget as HTMLSelectElement).value)}>
                <option value={ALL}>{t('coverage.all_sources')}</option>
                {sources.map((s) => (
                  <option key={s} value={s}>
                    {tid('source', s)}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div class="chart-grid">
            <figure class="chart-figure">
              <figcaption>{t('coverage.persons')}</figcaption>
              <Chart option={coverageOption} label={t('coverage.chart_label')} testId="coverage-chart" />
            </figure>
            {outcomeIds.length > 0 && (
              <figure class="chart-figure">
                <figcaption>{t('coverage.outcomes')}</figcaption>
                <Chart option={outcomesOption} label={t('coverage.outcomes_chart_label')} testId="outcomes-chart" />
              </figure>
            )}
          </div>
          <details class="data-table">
            <summary>{t('coverage.table')}</summary>
            <div class="table-scroll">
              <table class="table table-compact" data-testid="coverage-table">
                <caption>{t('coverage.table_caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('coverage.month')}</th>
                    <th scope="col">{t('coverage.source')}</th>
                    <th scope="col" class="num">{t('coverage.encountered')}</th>
                    <th scope="col" class="num">{t('coverage.screened')}</th>
                    {outcomeIds.map((id) => (
                      <th key={id} scope="col" class="num">
                        {tid('outcome', id)}
                      </th>
                    ))}
                    {ACTIONS.map((id) => (
                      <th key={id} scope="col" class="num">
                        {tid('action', id)}
                      </th>
                    ))}
                    <th scope="col" class="num">
                      {shareLabel}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {filtered.map((r) => (
                    <tr key={r.month + '/' + r.source}>
                      <th scope="row" class="nowrap">
                        {r.month}
                      </th>
                      <td>{r.source ? tid('source', r.source) : '–'}</td>
                      <td class="num">{r.encountered}</td>
                      <td class="num">{r.screened}</td>
                      {outcomeIds.map((id) => (
                        <td key={id} class="num">
                          {r.outcomes[id] ?? 0}
                        </td>
                      ))}
                      {ACTIONS.map((id) => (
                        <td key={id} class="num" data-action={id}>
                          {r.actions?.[id] ?? 0}
                        </td>
                      ))}
                      <td class="num">{percent(r.ownShare, lang)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  );
}

function Chart({ option, label, testId }: { option: ChartOption; label: string; testId: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const handle = useRef<ChartHandle | null>(null);
  const latest = useRef(option);
  latest.current = option;

  useEffect(() => {
    let cancelled = false;
    void import('./coverageChart').then(({ mountChart }) => {
      if (cancelled || !ref.current) return;
      handle.current = mountChart(ref.current, latest.current);
    });
    return () => {
      cancelled = true;
      handle.current?.dispose();
      handle.current = null;
    };
  }, []);
  useEffect(() => handle.current?.update(option), [option]);

  // role="img" with a label: a screen reader announces the chart once and finds the numbers in
  // the data table; the chart's own SVG text is then not read piece by piece.
  return <div class="chart" ref={ref} role="img" aria-label={label} data-testid={testId} dir="ltr" />;
}
