// The tamper-evident audit log: its verification (audit.verify) with the signed tree head, and
// the latest entries newest first (audit.read), paged with before=SEQ. An admin may verify but
// not read entries.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api/client';
import type { AuditEntries, AuditEntry, AuditVerify, Me } from '../api/types';
import { useI18n } from '../i18n';

const PAGE_SIZE = 50;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function AuditPage({ me }: { me: Me }) {
  const { t } = useI18n();
  const mayVerify = me.permissions.includes('audit.verify');
  const mayRead = me.permissions.includes('audit.read');
  return (
    <section class="page">
      <h1>{t('audit.title')}</h1>
      <p class="lead">{t('audit.intro')}</p>
      {mayVerify && <Verification />}
      {mayRead ? <Entries /> : <p class="notice notice-info">{t('audit.verify_only')}</p>}
    </section>
  );
}

function formatTime(value: string, lang: string): string {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'medium' });
}

function Verification() {
  const { t, lang } = useI18n();
  const [result, setResult] = useState<AuditVerify | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function verify() {
    setBusy(true);
    setError(null);
    try {
      setResult(await get<AuditVerify>('/audit/verify'));
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  }
  useEffect(() => {
    void verify();
  }, []);

  const head = result?.head ?? null;
  return (
    <section class="card" aria-labelledby="verify-title" aria-busy={busy}>
      <div class="card-header">
        <h2 id="verify-title">{t('audit.verify.title')}</h2>
        <button type="button" class="button button-small" onClick={() => void verify()} disabled={busy}>
          {t('audit.verify.again')}
        </button>
      </div>
      {error && (
        <p class="notice notice-error" role="alert">
          {t('common.error', { message: error })}
        </p>
      )}
      {!result && !error && <p role="status">{t('common.loading')}</p>}
      {result && (
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
      )}
      {result && (
        <>
          <h3>{t('audit.head.title')}</h3>
          {head ? (
            <dl class="facts" data-testid="audit-head">
              <div>
                <dt>{t('audit.head.size')}</dt>
                <dd>{head.tree_size}</dd>
              </div>
              <div>
                <dt>{t('audit.head.root')}</dt>
                <dd class="hash" dir="ltr">
                  {head.root_hash}
                </dd>
              </div>
              <div>
                <dt>{t('audit.head.timestamp')}</dt>
                <dd>
                  <time dateTime={head.timestamp}>{formatTime(head.timestamp, lang)}</time>
                </dd>
              </div>
              {head.public_key && (
                <div>
                  <dt>{t('audit.head.public_key')}</dt>
                  <dd class="hash" dir="ltr">
                    {head.public_key}
                  </dd>
                </div>
              )}
            </dl>
          ) : (
            <p>{t('audit.head.none')}</p>
          )}
        </>
      )}
    </section>
  );
}

function Entries() {
  const { t, tid, lang } = useI18n();
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [exhausted, setExhausted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function load(before?: number) {
    setBusy(true);
    setError(null);
    try {
      const query = `?limit=${PAGE_SIZE}` + (before != null ? `&before=${before}` : '');
      const answer = await get<AuditEntries>('/audit/entries' + query);
      const page = answer.entries ?? [];
      setEntries((list) => {
        const seen = new Set(list.map((e) => e.seq));
        return [...list, ...page.filter((e) => !seen.has(e.seq))].sort((a, b) => b.seq - a.seq);
      });
      const oldest = page.length ? Math.min(...page.map((e) => e.seq)) : 0;
      setExhausted(page.length < PAGE_SIZE || oldest <= 1);
      setLoaded(true);
    } catch (e) {
      setError(message(e));
    } finally {
      setBusy(false);
    }
  }
  useEffect(() => {
    void load();
  }, []);

  const oldest = entries.length ? entries[entries.length - 1].seq : undefined;
  return (
    <section class="card" aria-labelledby="entries-title" aria-busy={busy}>
      <h2 id="entries-title">{t('audit.entries.title')}</h2>
      {error && (
        <p class="notice notice-error" role="alert">
          {t('common.error', { message: error })}
        </p>
      )}
      {!loaded && !error && <p role="status">{t('common.loading')}</p>}
      {loaded && entries.length === 0 && <p>{t('audit.none')}</p>}
      {entries.length > 0 && (
        <div class="table-scroll">
          <table class="table table-compact" data-testid="audit-entries">
            <caption class="visually-hidden">{t('audit.entries.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('audit.col.seq')}</th>
                <th scope="col">{t('audit.col.time')}</th>
                <th scope="col">{t('audit.col.actor')}</th>
                <th scope="col">{t('audit.col.action')}</th>
                <th scope="col">{t('audit.col.object')}</th>
                <th scope="col">{t('audit.col.outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.seq}>
                  <th scope="row" class="num">
                    {e.seq}
                  </th>
                  <td>
                    <time dateTime={e.time}>{formatTime(e.time, lang)}</time>
                  </td>
                  <td>{e.actor}</td>
                  <td>
                    <code dir="ltr">{e.action}</code>
                  </td>
                  <td>
                    <span dir="ltr">
                      {e.object_type}
                      {e.object_id ? ' ' + e.object_id : ''}
                    </span>
                  </td>
                  <td>
                    <span class={'badge badge-outcome-' + e.outcome}>{tid('audit.outcome', e.outcome)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {loaded && entries.length > 0 && (
        <div class="form-actions">
          {exhausted ? (
            <p class="muted">{t('audit.no_more')}</p>
          ) : (
            <button type="button" class="button" disabled={busy} onClick={() => void load(oldest)}>
              {t('audit.load_more')}
            </button>
          )}
        </div>
      )}
    </section>
  );
}
