// The tamper-evident audit log: its verification (audit.verify) with the signed tree head, and
// the entries newest first (audit.read), paged with before=SEQ and filtered by actor, action,
// object and time - an object id also finds the lists that returned it ("who saw this person's
// screening, and when?"). The filtered entries export with their inclusion proofs
// (audit.export, itself audited). An admin may verify but not read entries.
import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { AuditEntry } from '../../api/types';
import { useI18n } from '../../i18n';
import { AsyncState, DataTable, ErrorNotice, useResource, type Column } from '../../ui';
import type { PageProps } from '../types';
import type { AuditKey } from './messages';

const PAGE_SIZE = 50;

export function AuditPage({ me }: PageProps) {
  const { t } = useI18n<AuditKey>();
  const mayVerify = me.permissions.includes('audit.verify');
  const mayRead = me.permissions.includes('audit.read');
  const mayExport = me.permissions.includes('audit.export');
  return (
    <section class="page">
      <h1>{t('audit.title')}</h1>
      <p class="lead">{t('audit.intro')}</p>
      {mayVerify && <Verification />}
      {mayRead ? <Entries mayExport={mayExport} /> : <p class="notice notice-info">{t('audit.verify_only')}</p>}
    </section>
  );
}

function formatTime(value: string, lang: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'medium' });
}

function Verification() {
  const { t, lang } = useI18n<AuditKey>();
  const verification = useResource(() => api.get('/audit/verify'), []);
  const busy = verification.loading;
  return (
    <section class="card" aria-labelledby="verify-title" aria-busy={busy}>
      <div class="card-header">
        <h2 id="verify-title">{t('audit.verify.title')}</h2>
        <button type="button" class="button button-small" onClick={verification.reload} disabled={busy}>
          {t('audit.verify.again')}
        </button>
      </div>
      <AsyncState resource={verification}>
        {(result) => (
          <>
            <p
              class={result.ok ? 'verify-status notice notice-success' : 'verify-status notice notice-error'}
              data-testid="audit-status"
              data-ok={String(result.ok)}
              role="status"
            >
              <span class="status-icon" aria-hidden="true">
                {result.ok ? '✓' : '!'}
              </span>{' '}
              {result.ok
                ? t('audit.verify.ok', { entries: result.entries })
                : result.first_bad_entry != null
                  ? t('audit.verify.bad', { seq: result.first_bad_entry, message: result.message })
                  : t('audit.verify.bad_noseq', { message: result.message })}
            </p>
            {result.note && <p class="notice notice-info">{result.note}</p>}
            <h3>{t('audit.head.title')}</h3>
            {result.head ? (
              <dl class="facts" data-testid="audit-head">
                <div>
                  <dt>{t('audit.head.size')}</dt>
                  <dd>{result.head.tree_size}</dd>
                </div>
                <div>
                  <dt>{t('audit.head.root')}</dt>
                  <dd class="hash" dir="ltr">
                    {result.head.root_hash}
                  </dd>
                </div>
                <div>
                  <dt>{t('audit.head.timestamp')}</dt>
                  <dd>
                    <time dateTime={result.head.timestamp}>{formatTime(result.head.timestamp, lang)}</time>
                  </dd>
                </div>
                <div>
                  <dt>{t('audit.head.public_key')}</dt>
                  <dd class="hash" dir="ltr">
                    {result.head.public_key}
                  </dd>
                </div>
              </dl>
            ) : (
              <p>{t('audit.head.none')}</p>
            )}
          </>
        )}
      </AsyncState>
    </section>
  );
}

// The criteria of GET /audit/entries and /audit/export; empty strings are left out.
interface Filter {
  actor: string;
  action: string;
  object_type: string;
  object_id: string;
  since: string;
  until: string;
}
const NO_FILTER: Filter = { actor: '', action: '', object_type: '', object_id: '', since: '', until: '' };

// datetime-local values (local time) as the RFC 3339 UTC times the log stores.
function asQuery(f: Filter) {
  const utc = (v: string) => {
    if (!v) return undefined;
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
  };
  const text = (v: string) => (v.trim() ? v.trim() : undefined);
  return {
    actor: text(f.actor),
    action: text(f.action),
    object_type: text(f.object_type),
    object_id: text(f.object_id),
    since: utc(f.since),
    until: utc(f.until),
  };
}

function FilterForm({ onApply }: { onApply: (f: Filter) => void }) {
  const { t } = useI18n<AuditKey>();
  const [draft, setDraft] = useState<Filter>(NO_FILTER);
  const set = (key: keyof Filter) => (e: Event) => setDraft({ ...draft, [key]: (e.target as HTMLInputElement).value });
  const field = (key: keyof Filter, when = false) => (
    <label class="field">
      <span>{t(('audit.filter.' + key) as AuditKey)}</span>
      {when ? (
        <input type="datetime-local" name={key} value={draft[key]} onInput={set(key)} />
      ) : (
        <input type="text" name={key} dir="ltr" value={draft[key]} onInput={set(key)} />
      )}
    </label>
  );
  return (
    <form
      class="filters"
      aria-label={t('audit.filter.title')}
      data-testid="audit-filter"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(draft);
      }}
    >
      <p class="muted">{t('audit.filter.hint')}</p>
      {field('actor')}
      {field('action')}
      {field('object_type')}
      {field('object_id')}
      {field('since', true)}
      {field('until', true)}
      <div class="form-actions">
        <button type="submit" class="button">
          {t('audit.filter.apply')}
        </button>
        <button
          type="button"
          class="button button-secondary"
          onClick={() => {
            setDraft(NO_FILTER);
            onApply(NO_FILTER);
          }}
        >
          {t('audit.filter.clear')}
        </button>
      </div>
    </form>
  );
}

function Entries({ mayExport }: { mayExport: boolean }) {
  const { t, tid, lang } = useI18n<AuditKey>();
  const [filter, setFilter] = useState<Filter>(NO_FILTER);
  const filterKey = JSON.stringify(filter);
  // The first page; "load more" appends older pages to it.
  const first = useResource(
    () => api.get('/audit/entries', { query: { limit: PAGE_SIZE, ...asQuery(filter) } }),
    [filterKey],
  );
  const [older, setOlder] = useState<AuditEntry[]>([]);
  // Set by "load more": whether the last page it got was the log's oldest.
  const [olderExhausted, setOlderExhausted] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);

  const firstPage = first.data?.entries ?? [];
  const seen = new Set(firstPage.map((e) => e.seq));
  const entries = [...firstPage, ...older.filter((e) => !seen.has(e.seq))].sort((a, b) => b.seq - a.seq);
  const oldest = entries.length ? entries[entries.length - 1].seq : undefined;
  const exhausted = olderExhausted ?? (firstPage.length < PAGE_SIZE || (oldest ?? 0) <= 1);

  async function loadMore() {
    if (oldest === undefined) return;
    setBusy(true);
    setError(null);
    try {
      const page = (
        await api.get('/audit/entries', { query: { limit: PAGE_SIZE, before: oldest, ...asQuery(filter) } })
      ).entries;
      setOlder((list) => [...list, ...page]);
      const pageOldest = page.length ? Math.min(...page.map((e) => e.seq)) : 0;
      setOlderExhausted(page.length < PAGE_SIZE || pageOldest <= 1);
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  }

  function apply(f: Filter) {
    setOlder([]);
    setOlderExhausted(null);
    setFilter(f);
  }

  // The export is a JSON document (entries, inclusion proofs, signed head) saved as a file.
  async function exportEntries() {
    setBusy(true);
    setError(null);
    try {
      const doc = await api.get('/audit/export', { query: { limit: 1000, ...asQuery(filter) } });
      const url = URL.createObjectURL(new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = 'ctip-audit-export.json';
      a.click();
      URL.revokeObjectURL(url);
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  }

  const columns: Column<AuditEntry>[] = [
    { key: 'seq', header: t('audit.col.seq'), class: 'num', cell: (e) => e.seq },
    { key: 'time', header: t('audit.col.time'), cell: (e) => <time dateTime={e.time}>{formatTime(e.time, lang)}</time> },
    { key: 'actor', header: t('audit.col.actor'), cell: (e) => e.actor },
    { key: 'action', header: t('audit.col.action'), cell: (e) => <code dir="ltr">{e.action}</code> },
    {
      key: 'object',
      header: t('audit.col.object'),
      cell: (e) => (
        <span dir="ltr">
          {e.object_type}
          {e.object_id ? ' ' + e.object_id : ''}
        </span>
      ),
    },
    {
      key: 'source',
      header: t('audit.col.source'),
      cell: (e) => <span dir="ltr">{e.client_address ?? ''}</span>,
    },
    {
      key: 'outcome',
      header: t('audit.col.outcome'),
      cell: (e) => <span class={'badge badge-outcome-' + e.outcome}>{tid('audit.outcome', e.outcome)}</span>,
    },
  ];

  return (
    <section class="card" aria-labelledby="entries-title" aria-busy={busy || first.loading}>
      <h2 id="entries-title">{t('audit.entries.title')}</h2>
      <FilterForm onApply={apply} />
      {mayExport && (
        <div class="form-actions">
          <button type="button" class="button" disabled={busy} onClick={() => void exportEntries()}>
            {t('audit.export')}
          </button>
        </div>
      )}
      {error && <ErrorNotice error={error} />}
      <AsyncState resource={first}>
        {() => (
          <>
            <DataTable
              caption={t('audit.entries.caption')}
              columns={columns}
              rows={entries}
              rowKey={(e) => e.seq}
              testId="audit-entries"
              empty={t('audit.none')}
              compact
            />
            {entries.length > 0 && (
              <div class="form-actions">
                {exhausted ? (
                  <p class="muted">{t('audit.no_more')}</p>
                ) : (
                  <button type="button" class="button" disabled={busy} onClick={() => void loadMore()}>
                    {t('audit.load_more')}
                  </button>
                )}
              </div>
            )}
          </>
        )}
      </AsyncState>
    </section>
  );
}
