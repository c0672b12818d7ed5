// A release's corridor matrix as it is (or would be) published: citizenship rows, country of
// exploitation columns, the totals; a suppressed cell shows "×" and says why (primary: below k;
// secondary: suppressed so that a primary cell cannot be worked out from the totals).
import { useI18n } from '../../i18n';
import type { FlowKey } from './messages';
import { formatCount, type CountryNames, type FlowSuppressedTable } from './model';

type Status = FlowSuppressedTable['status'][number][number];

function Cell({ value, status }: { value: number | null | undefined; status?: Status }) {
  const { t, lang } = useI18n<FlowKey>();
  if (value === null || value === undefined || (status && status !== 'published')) {
    const why = status === 'secondary' ? t('flows.release.secondary') : t('flows.release.primary');
    return (
      <td class="num flows-suppressed" data-status={status ?? 'suppressed'} title={why}>
        <span aria-hidden="true">×</span>
        <span class="visually-hidden">{why}</span>
      </td>
    );
  }
  return <td class="num">{formatCount(value, lang)}</td>;
}

export function ReleaseTable({ table, names }: { table: FlowSuppressedTable; names: CountryNames }) {
  const { t, lang } = useI18n<FlowKey>();
  return (
    <>
      <p class="muted" data-testid="flows-release-summary">
        {table.method === 'k'
          ? t('flows.release.table_k', { k: table.k ?? '', n: table.suppressed })
          : t('flows.release.table_epsilon', { mechanism: table.mechanism ?? '', scale: String(table.scale ?? '') })}
      </p>
      <div class="table-scroll flows-matrix">
        <table class="table table-compact" data-testid="flows-release-table">
          <caption class="visually-hidden">{t('flows.release.caption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('flows.release.corner')}</th>
              {table.columns.map((c) => (
                <th scope="col" key={c} class="num" title={names(c)}>
                  {c}
                </th>
              ))}
              <th scope="col" class="num">
                {t('flows.release.total')}
              </th>
            </tr>
          </thead>
          <tbody>
            {table.rows.map((r, i) => (
              <tr key={r}>
                <th scope="row" title={names(r)}>
                  {names(r)}
                </th>
                {table.columns.map((c, j) => (
                  <Cell key={c} value={table.cells[i]?.[j]} status={table.status[i]?.[j]} />
                ))}
                <Cell value={table.row_totals[i]} status={table.row_totals[i] === null ? 'secondary' : 'published'} />
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t('flows.release.total')}</th>
              {table.columns.map((c, j) => (
                <Cell
                  key={c}
                  value={table.column_totals[j]}
                  status={table.column_totals[j] === null ? 'secondary' : 'published'}
                />
              ))}
              <td class="num">{table.grand_total === null ? '×' : formatCount(table.grand_total, lang)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </>
  );
}
