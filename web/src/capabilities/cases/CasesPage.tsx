// The cases page (issue #11): tabs for the case list, the provider directory, the investigation
// queue and the dashboards, each shown to the roles whose actions open it; and one case with its
// timeline and the forms of what a caseworker does next.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client';
import { useI18n } from '../../i18n';
import { AsyncState, Card, useResource } from '../../ui';
import type { PageProps } from '../types';
import { CaseFile } from './CaseFile';
import { Dashboards } from './Dashboards';
import type { CasesKey } from './messages';
import { addressOf, SERVICE_TYPES, TAB_ACTION, TABS, type Address, type CaseSummary, type InvestigationQueue, type ServiceType } from './model';
import './cases.css';

export function CasesPage({ me }: PageProps) {
  const { t } = useI18n<CasesKey>();
  const [address, setAddress] = useState<Address>(() => addressOf());
  useEffect(() => {
    const onChange = () => setAddress(addressOf());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const tabs = TABS.filter((tab) => me.permissions.includes(TAB_ACTION[tab]));
  const tab = tabs.includes(address.tab) ? address.tab : tabs[0];
  return (
    <section class="page" data-testid="cases-page">
      <nav class="cases-tabs" aria-label={t('cases.tabs')}>
        {tabs.map((id) => (
          <a key={id} href={id === 'list' ? '#/cases' : `#/cases?view=${id}`} data-tab={id} aria-current={!address.caseId && tab === id ? 'page' : undefined}>
            {t(`cases.tab.${id}` as CasesKey)}
          </a>
        ))}
      </nav>
      {address.caseId && me.permissions.includes('cases.read') ? (
        <CaseFile key={address.caseId} id={address.caseId} me={me} />
      ) : tab === 'list' ? (
        <CaseList />
      ) : tab === 'providers' ? (
        <Providers />
      ) : tab === 'investigations' ? (
        <Investigations />
      ) : tab === 'dashboards' ? (
        <Dashboards />
      ) : null}
    </section>
  );
}

function CaseList() {
  const { t, tid } = useI18n<CasesKey>();
  const list = useResource(() => api.get('/cases', { query: { limit: 200 } }), []);
  return (
    <>
      <h1>{t('cases.list.title')}</h1>
      <p class="lead">{t('cases.list.intro')}</p>
      <Alerts />
      <AsyncState resource={list}>
        {(data) =>
          data.cases.length === 0 ? (
            <p data-testid="cases-empty">{t('cases.list.empty')}</p>
          ) : (
            <Card>
              <div class="cases-table-wrap">
                <table class="cases-table" data-testid="cases-list">
                  <thead>
                    <tr>
                      <th>{t('cases.col.case')}</th>
                      <th>{t('cases.col.reference')}</th>
                      <th>{t('cases.col.status')}</th>
                      <th>{t('cases.col.organisation')}</th>
                      <th>{t('cases.col.opened')}</th>
                      <th>{t('cases.col.tasks')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.cases.map((c: CaseSummary) => (
                      <tr key={c.id} data-case={c.id}>
                        <td>
                          <a href={`#/cases?case=${c.id}`}>{t('cases.case', { id: String(c.id) })}</a>
                        </td>
                        <td>{c.person_reference}</td>
                        <td>
                          {tid('cases.status', c.victim_status)}
                          {c.closed_at && <> · {t('cases.closed')}</>}
                        </td>
                        <td>{c.organisation}</td>
                        <td>{c.opened_at.slice(0, 10)}</td>
                        <td>{c.open_tasks}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </Card>
          )
        }
      </AsyncState>
    </>
  );
}

function Alerts() {
  const { t, tid } = useI18n<CasesKey>();
  const alerts = useResource(() => api.get('/cases/alerts'), []);
  const list = alerts.data?.alerts;
  if (!list) return null;
  return (
    <Card data-testid="cases-alerts">
      <details open={list.length > 0 && list.length <= 10}>
        <summary>{t('cases.alerts.title', { n: list.length })}</summary>
        {list.length === 0 ? (
          <p>{t('cases.alerts.none')}</p>
        ) : (
          <ul class="cases-reasons">
            {list.slice(0, 100).map((a) => (
              <li key={`${a.object_type}-${a.object_id}-${a.kind}`} data-alert={a.kind}>
                <a href={`#/cases?case=${a.case_id}`}>{t('cases.case', { id: String(a.case_id) })}</a> · <strong>{tid('cases.alert', a.kind)}</strong> · {a.message}
              </li>
            ))}
          </ul>
        )}
      </details>
    </Card>
  );
}

function Providers() {
  const { t, tid } = useI18n<CasesKey>();
  const [service, setService] = useState<ServiceType | ''>('');
  const [free, setFree] = useState(false);
  const list = useResource(
    () => api.get('/providers', { query: { service: service || undefined, free: free ? 'true' : undefined } }),
    [service, free],
  );
  return (
    <>
      <h1>{t('cases.providers.title')}</h1>
      <p class="lead">{t('cases.providers.intro')}</p>
      <p class="inline">
        <label>
          {t('cases.providers.service')}{' '}
          <select id="providers-service" value={service} onChange={(e) => setService((e.currentTarget as HTMLSelectElement).value as ServiceType | '')}>
            <option value="">{t('cases.providers.any')}</option>
            {SERVICE_TYPES.map((s) => (
              <option key={s} value={s}>
                {tid('cases.service', s)}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          <input type="checkbox" id="providers-free" checked={free} onChange={(e) => setFree((e.currentTarget as HTMLInputElement).checked)} />{' '}
          {t('cases.providers.free_only')}
        </label>
      </p>
      <AsyncState resource={list}>
        {(data) => (
          <Card>
            <div class="cases-table-wrap">
              <table class="cases-table" data-testid="providers-list">
                <thead>
                  <tr>
                    <th>{t('cases.providers.name')}</th>
                    <th>{t('cases.providers.services')}</th>
                    <th>{t('cases.providers.region')}</th>
                    <th>{t('cases.providers.languages')}</th>
                    <th>{t('cases.providers.capacity')}</th>
                    <th>{t('cases.providers.free')}</th>
                    <th>{t('cases.providers.funding')}</th>
                  </tr>
                </thead>
                <tbody>
                  {data.providers.map((p) => (
                    <tr key={p.id} data-provider={p.id}>
                      <td>{p.name}</td>
                      <td>{p.services.map((s) => tid('cases.service', s)).join(', ')}</td>
                      <td>
                        {p.location}, {p.region}
                      </td>
                      <td>
                        {p.languages.join(', ')}
                        {p.interpreter && <> · {t('cases.providers.interpreter')}</>}
                      </td>
                      <td>
                        {p.occupancy} / {p.capacity}
                      </td>
                      <td data-testid="provider-free" class={p.free_places === 0 ? 'cases-flag' : undefined}>
                        {p.free_places}
                      </td>
                      <td>
                        {p.funding_baseline > 0
                          ? t('cases.providers.funding_ratio', { pct: String(Math.round((100 * p.funding_this_year) / p.funding_baseline)) })
                          : '–'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Card>
        )}
      </AsyncState>
    </>
  );
}

function Investigations() {
  const { t } = useI18n<CasesKey>();
  const queue = useResource(() => api.get('/investigations'), []);
  return (
    <>
      <h1>{t('cases.queue.title')}</h1>
      <p class="lead">{t('cases.queue.intro')}</p>
      <AsyncState resource={queue}>{(data) => <Queue data={data} />}</AsyncState>
    </>
  );
}

function Queue({ data }: { data: InvestigationQueue }) {
  const { t } = useI18n<CasesKey>();
  return (
    <>
      <p data-testid="queue-model">{t('cases.queue.model', { model: data.model, criteria: data.criteria.map((c) => `${c.label} ×${c.weight}`).join(', ') })}</p>
      {data.items.length === 0 ? (
        <p data-testid="queue-empty">{t('cases.queue.empty')}</p>
      ) : (
        <Card>
          <div class="cases-table-wrap">
            <table class="cases-table" data-testid="queue-items">
              <thead>
                <tr>
                  <th>{t('cases.queue.rank')}</th>
                  <th>{t('cases.queue.score')}</th>
                  <th>{t('cases.queue.item')}</th>
                  <th>{t('cases.queue.why')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((item) => (
                  <tr key={`${item.kind}-${item.id}`} data-kind={item.kind} data-case={item.case_id ?? undefined}>
                    <td>{item.rank}</td>
                    <td>{item.score.toFixed(1)}</td>
                    <td>
                      {item.case_id !== null ? (
                        <a href={`#/cases?case=${item.case_id}`}>{t('cases.case', { id: String(item.case_id) })}</a>
                      ) : (
                        item.network_ref
                      )}
                      <div class="muted">
                        {t(`cases.queue.kind.${item.kind}` as CasesKey)} · {item.status} · {item.opened_at.slice(0, 10)}
                      </div>
                    </td>
                    <td>
                      <ul class="cases-reasons" data-testid="queue-explanation">
                        {item.explanation.map((e) => (
                          <li key={e.input}>
                            {e.text} ({e.points >= 0 ? '+' : ''}
                            {e.points.toFixed(1)})
                          </li>
                        ))}
                      </ul>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Card>
      )}
      {data.workload.length > 0 && (
        <Card title={t('cases.queue.workload')} titleId="queue-workload">
          <ul data-testid="queue-workload">
            {data.workload.map((w) => (
              <li key={w.user_id}>{t('cases.queue.workload_row', { user: w.username, open: String(w.open), suspended: String(w.suspended) })}</li>
            ))}
          </ul>
        </Card>
      )}
    </>
  );
}
