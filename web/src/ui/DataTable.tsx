// A table of records: a caption for screen readers, one header row, the first column as the
// row's header, horizontal scrolling on narrow screens.
import type { ComponentChildren } from 'preact';

export interface Column<R> {
  key: string;
  header: ComponentChildren;
  cell: (row: R) => ComponentChildren;
  class?: string;
}

export function DataTable<R>({
  caption,
  columns,
  rows,
  rowKey,
  rowAttrs,
  testId,
  empty,
  compact,
}: {
  caption: ComponentChildren;
  columns: Column<R>[];
  rows: readonly R[];
  rowKey: (row: R) => string | number;
  rowAttrs?: (row: R) => Record<string, string | number | undefined>;
  testId?: string;
  empty?: ComponentChildren;
  compact?: boolean;
}) {
  if (rows.length === 0 && empty) return <p>{empty}</p>;
  return (
    <div class="table-scroll">
      <table class={compact ? 'table table-compact' : 'table'} data-testid={testId}>
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th scope="col" key={c.key} class={c.class}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} {...(rowAttrs?.(row) ?? {})}>
              {columns.map((c, i) =>
                i === 0 ? (
                  <th scope="row" key={c.key} class={c.class}>
                    {c.cell(row)}
                  </th>
                ) : (
                  <td key={c.key} class={c.class}>
                    {c.cell(row)}
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
