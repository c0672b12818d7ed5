// The corridor table: citizenship → country of exploitation and the number of records, largest
// first, with what it rests on. Domestic corridors (the same country twice) are marked.
import { useState } from 'preact/hooks';
import { useI18n } from '../../i18n';
import { DataTable, type Column } from '../../ui';
import { Basis } from './Basis';
import type { FlowKey } from './messages';
import { formatCount, formatShare, type CountryNames, type FlowCorridors } from './model';

type Corridor = FlowCorridors['corridors'][number];

const FIRST_ROWS = 25;

export function CorridorTable({ corridors, names }: { corridors: FlowCorridors; names: CountryNames }) {
  const { t, lang } = useI18n<FlowKey>();
  const [all, setAll] = useState(false);
  const known = corridors.records - corridors.unknown;
  const rows = all ? corridors.corridors : corridors.corridors.slice(0, FIRST_ROWS);
  const columns: Column<Corridor>[] = [
    {
      key: 'citizenship',
      header: t('flows.corridors.citizenship'),
      cell: (c) => names(c.citizenship),
    },
    {
      key: 'exploitation',
      header: t('flows.corridors.exploitation'),
      cell: (c) => (
        <>
          {names(c.exploitation)}
          {c.citizenship === c.exploitation && (
            <>
              {' '}
              <span class="badge badge-muted">{t('flows.corridors.domestic')}</span>
            </>
          )}
        </>
      ),
    },
    { key: 'count', header: t('flows.corridors.count'), class: 'num', cell: (c) => formatCount(c.count, lang) },
    {
      key: 'share',
      header: t('flows.corridors.share'),
      class: 'num',
      cell: (c) => (known > 0 ? formatShare(c.count / known, lang, 1) : '–'),
    },
  ];
  return (
    <section class="card" aria-labelledby="flows-corridors-title">
      <h2 id="flows-corridors-title">{t('flows.corridors.title')}</h2>
      <Basis
        records={corridors.records}
        unknown={corridors.unknown}
        what="flows.basis.unknown_country"
        testId="flows-corridors-basis"
      />
      {corridors.unknown > 0 && (
        <p class="muted">
          {t('flows.corridors.unknown_detail', {
            citizenship: formatCount(corridors.unknown_citizenship, lang),
            exploitation: formatCount(corridors.unknown_exploitation, lang),
          })}
        </p>
      )}
      <DataTable
        caption={t('flows.corridors.caption')}
        columns={columns}
        rows={rows}
        rowKey={(c) => c.citizenship + '>' + c.exploitation}
        testId="flows-corridors"
        empty={t('flows.corridors.none')}
        compact
      />
      {corridors.corridors.length > FIRST_ROWS && (
        <div class="form-actions">
          <button type="button" class="button button-small" onClick={() => setAll(!all)} aria-expanded={all}>
            {all ? t('flows.corridors.fewer') : t('flows.corridors.all', { n: corridors.corridors.length })}
          </button>
        </div>
      )}
    </section>
  );
}
