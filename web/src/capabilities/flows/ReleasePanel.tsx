// Publishing figures that cannot identify a victim: the corridor matrix with k-suppression
// (CTDC's k = 11 by default) and secondary suppression, previewed before it is published; or
// with differential privacy (noise calibrated to ε, the dataset's budget tracked and a release
// past it refused). A published release is stored with its parameters, audited, and
// downloadable as CSV.
import { useState } from 'preact/hooks';
import { API_BASE, ApiError, api } from '../../api/client';
import { useI18n } from '../../i18n';
import { DataTable, ErrorNotice, Field, useResource, type Column } from '../../ui';
import type { FlowKey } from './messages';
import { ReleaseTable } from './ReleaseTable';
import {
  filterParams,
  type CountryNames,
  type FlowFilter,
  type FlowOverview,
  type FlowRelease,
  type FlowSuppressedTable,
} from './model';

type Method = 'k' | 'epsilon';

/** What remains of the privacy budget: the least over the case-record imports a release
 * draws on (each import's budget is spent by every release of the dataset). */
function remainingBudget(overview: FlowOverview): { remaining: number; budget: number } | null {
  const imports = overview.imports.filter((i) => i.format !== 'glotip');
  if (imports.length === 0) return null;
  let remaining = Infinity;
  let budget = Infinity;
  for (const i of imports) {
    remaining = Math.min(remaining, i.epsilon_budget - i.epsilon_spent);
    budget = Math.min(budget, i.epsilon_budget);
  }
  return { remaining: Math.max(0, remaining), budget };
}

function csvUrl(id: number): string {
  return `${API_BASE}/flows/releases/${id}/csv`;
}

export function ReleasePanel({
  filter,
  overview,
  names,
  mayPublish,
  onPublished,
}: {
  filter: FlowFilter;
  overview: FlowOverview;
  names: CountryNames;
  mayPublish: boolean;
  onPublished: () => void;
}) {
  const { t, lang } = useI18n<FlowKey>();
  const [method, setMethod] = useState<Method>('k');
  const [k, setK] = useState('11');
  const [epsilon, setEpsilon] = useState('0.5');
  const [perPerson, setPerPerson] = useState('1');
  const [preview, setPreview] = useState<FlowSuppressedTable | null>(null);
  const [published, setPublished] = useState<FlowRelease | null>(null);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [busy, setBusy] = useState(false);
  const [remaining, setRemaining] = useState<number | null>(null);
  const budget = remainingBudget(overview);
  const left = remaining ?? budget?.remaining ?? null;

  const kValue = Number(k);
  const kValid = Number.isInteger(kValue) && kValue >= 2;
  const epsilonValue = Number(epsilon);
  const epsilonValid = Number.isFinite(epsilonValue) && epsilonValue > 0;
  const perPersonValue = Number(perPerson);
  const perPersonValid = Number.isInteger(perPersonValue) && perPersonValue >= 1;

  async function run<T>(work: () => Promise<T>): Promise<T | undefined> {
    setBusy(true);
    setError(null);
    try {
      return await work();
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
      return undefined;
    } finally {
      setBusy(false);
    }
  }

  async function doPreview() {
    setPublished(null);
    const table = await run(() => api.post('/flows/releases/preview', { body: { ...filterParams(filter), k: kValue } }));
    if (table) setPreview(table);
  }

  async function publish() {
    const body =
      method === 'k'
        ? { ...filterParams(filter), k: kValue }
        : { ...filterParams(filter), epsilon: epsilonValue, max_records_per_person: perPersonValue };
    const answer = await run(() => api.post('/flows/releases', { body }));
    if (!answer) return;
    setPublished(answer.release);
    setPreview(null);
    if (typeof answer.release.epsilon_remaining === 'number') setRemaining(answer.release.epsilon_remaining);
    onPublished();
  }

  const errorField = error instanceof ApiError ? error.field : undefined;
  const overBudget = error instanceof ApiError && error.status === 409;

  return (
    <section class="card" aria-labelledby="flows-release-title" data-testid="flows-release">
      <h2 id="flows-release-title">{t('flows.release.title')}</h2>
      <p class="muted">{t('flows.release.intro')}</p>
      <fieldset>
        <legend>{t('flows.release.method')}</legend>
        {(['k', 'epsilon'] as const).map((m) => (
          <label class="choice" key={m}>
            <input
              type="radio"
              name="flows-release-method"
              value={m}
              checked={method === m}
              onChange={() => {
                setMethod(m);
                setError(null);
                setPublished(null);
              }}
            />{' '}
            {t(('flows.release.method_' + m) as FlowKey)}
          </label>
        ))}
      </fieldset>
      {method === 'k' ? (
        <Field
          id="flows-k"
          label={t('flows.release.k')}
          hint={t('flows.release.k_hint')}
          type="number"
          inputMode="numeric"
          value={k}
          onValue={setK}
          invalid={!kValid || errorField === 'k'}
          class="input-number"
        />
      ) : (
        <>
          <p class="notice notice-info" data-testid="flows-budget">
            {budget === null || left === null
              ? t('flows.release.no_budget')
              : t('flows.release.budget', { remaining: left.toLocaleString(lang), budget: budget.budget.toLocaleString(lang) })}
          </p>
          <Field
            id="flows-epsilon"
            label={t('flows.release.epsilon')}
            hint={t('flows.release.epsilon_hint')}
            value={epsilon}
            onValue={setEpsilon}
            inputMode="numeric"
            invalid={!epsilonValid || errorField === 'epsilon'}
          />
          <Field
            id="flows-per-person"
            label={t('flows.release.per_person')}
            hint={t('flows.release.per_person_hint')}
            type="number"
            value={perPerson}
            onValue={setPerPerson}
            invalid={!perPersonValid || errorField === 'max_records_per_person'}
          />
        </>
      )}
      <div class="form-actions">
        {method === 'k' && (
          <button type="button" class="button" disabled={busy || !kValid} onClick={() => void doPreview()}>
            {t('flows.release.preview')}
          </button>
        )}
        {mayPublish && (
          <button
            type="button"
            class="button button-primary"
            disabled={busy || (method === 'k' ? !kValid : !epsilonValid || !perPersonValid)}
            onClick={() => void publish()}
          >
            {t('flows.release.publish')}
          </button>
        )}
      </div>
      {error &&
        (overBudget ? (
          <p class="notice notice-error" role="alert" data-testid="flows-over-budget">
            {t('flows.release.over_budget', { message: error.message })}
          </p>
        ) : (
          <ErrorNotice error={error} />
        ))}
      {published && (
        <p class="notice notice-success" role="status" data-testid="flows-published">
          {t('flows.release.published', { id: published.id })}{' '}
          <a href={csvUrl(published.id)} download={`ctip-flows-release-${published.id}.csv`} data-testid="flows-release-csv">
            {t('flows.release.download')}
          </a>
        </p>
      )}
      {published?.table && <ReleaseTable table={published.table} names={names} />}
      {preview && !published && (
        <div data-testid="flows-preview">
          <h3>{t('flows.release.preview_title')}</h3>
          <ReleaseTable table={preview} names={names} />
        </div>
      )}
      <PastReleases key={published?.id ?? 0} />
    </section>
  );
}

function PastReleases() {
  const { t, lang } = useI18n<FlowKey>();
  const releases = useResource(() => api.get('/flows/releases'), []);
  const list = releases.data?.releases ?? [];
  if (releases.error) return <ErrorNotice error={releases.error} onRetry={releases.reload} />;
  if (list.length === 0) return null;
  const columns: Column<FlowRelease>[] = [
    { key: 'id', header: t('flows.releases.id'), class: 'num', cell: (r) => r.id },
    {
      key: 'created',
      header: t('flows.releases.created'),
      cell: (r) => (
        <time dateTime={r.created_at}>{new Date(r.created_at).toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'short' })}</time>
      ),
    },
    { key: 'by', header: t('flows.releases.by'), cell: (r) => r.created_by },
    {
      key: 'method',
      header: t('flows.releases.method'),
      cell: (r) =>
        r.method === 'k'
          ? t('flows.releases.method_k', { k: r.parameters.k ?? '' })
          : t('flows.releases.method_epsilon', { epsilon: String(r.parameters.epsilon ?? '') }),
    },
    { key: 'records', header: t('flows.releases.records'), class: 'num', cell: (r) => r.dataset.records.toLocaleString(lang) },
    {
      key: 'csv',
      header: t('flows.releases.csv'),
      cell: (r) => (
        <a href={csvUrl(r.id)} download={`ctip-flows-release-${r.id}.csv`}>
          {t('flows.release.download')}
        </a>
      ),
    },
  ];
  return (
    <>
      <h3>{t('flows.releases.title')}</h3>
      <DataTable
        caption={t('flows.releases.title')}
        columns={columns}
        rows={list}
        rowKey={(r) => r.id}
        testId="flows-releases"
        compact
      />
    </>
  );
}
