// The online page (issue #10), for platform analysts and investigators: the organisation's ad
// networks ranked by risk with the reasons of each score and the values too common to link; and
// one network with its link graph, movement path, templates with their slots, the ads with what
// they share highlighted, indicator feedback buttons and the audited evidence export.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { api } from '../../api/client';
import { useI18n } from '../../i18n';
import { AsyncState, Card, ErrorNotice, useResource } from '../../ui';
import type { PageProps } from '../types';
import { LinkGraph } from './LinkGraph';
import type { OnlineKey } from './messages';
import { day, networkFromAddress, segments, type AdIndicator, type AdNetworkDetail, type AdNetworks, type AdOfNetwork, type AdTemplate } from './model';
import { Movement } from './Movement';
import './online.css';

export function OnlinePage({ me }: PageProps) {
  const [network, setNetwork] = useState(() => networkFromAddress());
  useEffect(() => {
    const onChange = () => setNetwork(networkFromAddress());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return (
    <section class="page" data-testid="online-page">
      {network ? (
        <NetworkView key={network} id={network} mayExport={me.permissions.includes('ads.export')} mayFeedback={me.permissions.includes('ads.feedback')} />
      ) : (
        <NetworkList />
      )}
    </section>
  );
}

function NetworkList() {
  const { t } = useI18n<OnlineKey>();
  const list = useResource(() => api.get('/ads/networks', { query: { limit: 200 } }), []);
  return (
    <>
      <h1>{t('online.title')}</h1>
      <p class="lead">{t('online.intro')}</p>
      <AsyncState resource={list}>{(data) => (data.analysis ? <Ranked data={data} /> : <p>{t('online.empty')}</p>)}</AsyncState>
    </>
  );
}

function Ranked({ data }: { data: AdNetworks }) {
  const { t } = useI18n<OnlineKey>();
  return (
    <>
      {data.analysis && (
        <p data-testid="online-analysis">
          {t('online.analysis', { n: data.analysis.ads, count: data.analysis.networks, at: data.analysis.computed_at.slice(0, 16) })}
        </p>
      )}
      <Card>
        <div class="online-table-wrap">
        <table class="online-ranked" data-testid="online-networks">
          <thead>
            <tr>
              <th>{t('online.col.rank')}</th>
              <th>{t('online.col.risk')}</th>
              <th>{t('online.col.organised')}</th>
              <th>{t('online.col.ads')}</th>
              <th>{t('online.col.cities')}</th>
              <th>{t('online.col.reasons')}</th>
            </tr>
          </thead>
          <tbody>
            {data.networks.map((n) => (
              <tr key={n.id} data-network={n.id}>
                <td>
                  <a href={`#/online?network=${n.id}`} aria-label={t('online.open', { id: String(n.id) })}>
                    {n.rank}
                  </a>
                </td>
                <td>{n.risk.toFixed(1)}</td>
                <td>{n.organised ? t('online.yes') : t('online.no')}</td>
                <td>{n.ads}</td>
                <td>{n.cities.join(', ')}</td>
                <td>{n.reasons.map((r) => r.text).join(' ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      </Card>
      {data.too_common.length > 0 && (
        <Card title={t('online.common.title')} titleId="online-common">
          <p>{t('online.common.intro')}</p>
          <ul data-testid="online-too-common">
            {data.too_common.map((v) => (
              <li key={v.kind + v.value}>{t('online.common.row', { kind: v.kind, value: v.value, n: v.ads })}</li>
            ))}
          </ul>
        </Card>
      )}
    </>
  );
}

function NetworkView({ id, mayExport, mayFeedback }: { id: number; mayExport: boolean; mayFeedback: boolean }) {
  const { t } = useI18n<OnlineKey>();
  const detail = useResource(() => api.get('/ads/networks/{id}', { path: { id } }), [id]);
  const indicators = useResource(() => api.get('/ads/indicators'), []);
  return (
    <>
      <p>
        <a href="#/online">{t('online.back')}</a>
      </p>
      <AsyncState resource={detail}>
        {(d) => (
          <Network
            detail={d}
            indicators={indicators.data?.indicators ?? []}
            onFeedback={(updated) =>
              indicators.setData((prev) =>
                prev ? { ...prev, indicators: prev.indicators.map((i) => (i.id === updated.id ? updated : i)) } : prev!,
              )
            }
            mayExport={mayExport}
            mayFeedback={mayFeedback}
          />
        )}
      </AsyncState>
    </>
  );
}

function Network({
  detail,
  indicators,
  onFeedback,
  mayExport,
  mayFeedback,
}: {
  detail: AdNetworkDetail;
  indicators: AdIndicator[];
  onFeedback: (i: AdIndicator) => void;
  mayExport: boolean;
  mayFeedback: boolean;
}) {
  const { t } = useI18n<OnlineKey>();
  const n = detail.network;
  const byId = useMemo(() => new Map(indicators.map((i) => [i.id, i])), [indicators]);
  return (
    <>
      <h1 data-testid="online-network-title">{t('online.network.title', { id: String(n.id) })}</h1>
      <p class="lead">
        {t('online.network.risk', { risk: n.risk.toFixed(1) })} · {n.cities.join(' → ')} · {day(n.first_posted)} – {day(n.last_posted)}
      </p>
      <ul>
        {n.reasons.map((r) => (
          <li key={r.code}>{r.text}</li>
        ))}
      </ul>
      {mayExport && <Export id={n.id} />}
      <div class="chart-grid">
        <Card title={t('online.graph.title')} titleId="online-graph-title">
          <LinkGraph detail={detail} label={t('online.graph.label')} />
          <p class="online-legend">{t('online.graph.legend')}</p>
        </Card>
        <Card title={t('online.movement.title')} titleId="online-movement-title">
          {detail.movement.length > 0 ? <Movement movement={detail.movement} label={t('online.movement.label')} /> : <p>{t('online.movement.none')}</p>}
        </Card>
      </div>
      {detail.templates.map((tpl) => (
        <Template key={tpl.id} template={tpl} />
      ))}
      <Card title={t('online.ads.title')} titleId="online-ads-title">
        <p class="online-legend">
          <mark class="shared">{t('online.ads.legend')}</mark>
        </p>
        {detail.ads.map((ad) => (
          <Ad key={ad.id} ad={ad} indicators={byId} onFeedback={onFeedback} mayFeedback={mayFeedback} />
        ))}
      </Card>
    </>
  );
}

function Template({ template }: { template: AdTemplate }) {
  const { t } = useI18n<OnlineKey>();
  return (
    <Card title={t('online.template.title')} titleId={`online-template-${template.id}`}>
      <p>{t('online.template.ads', { n: template.ads })}</p>
      <p class="online-template" data-testid="online-template">
        {template.parts.map((p, i) =>
          p.token !== undefined ? (
            <span key={i}>{p.token} </span>
          ) : (
            <span key={i} class="online-slot" data-slot={p.kind}>
              {`{${(p.slot ?? 0) + 1}:${p.kind ?? 'text'}}`}{' '}
            </span>
          ),
        )}
      </p>
    </Card>
  );
}

function Ad({
  ad,
  indicators,
  onFeedback,
  mayFeedback,
}: {
  ad: AdOfNetwork;
  indicators: Map<string, AdIndicator>;
  onFeedback: (i: AdIndicator) => void;
  mayFeedback: boolean;
}) {
  const { t } = useI18n<OnlineKey>();
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const verdict = async (indicator: string, truePositive: boolean) => {
    setError(null);
    try {
      const updated = await api.post('/ads/indicators/feedback', {
        body: { indicator, ad_id: ad.id, verdict: truePositive ? 'true_positive' : 'false_positive' },
      });
      onFeedback(updated);
      setDone(indicator);
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    }
  };
  return (
    <article class="online-ad" data-testid="online-ad" data-ad={ad.id}>
      <header>
        <strong>{ad.key}</strong> · {ad.posted_at?.slice(0, 10) ?? '–'} · {ad.location} · {ad.site}
      </header>
      <p class="online-body">
        {segments(ad.body, ad.highlights).map((s, i) =>
          s.kind ? (
            <mark key={i} class={s.kind} title={s.label}>
              {s.text}
            </mark>
          ) : (
            <span key={i}>{s.text}</span>
          ),
        )}
      </p>
      {ad.indicators.length > 0 && (
        <ul class="online-indicators">
          {ad.indicators.map((id) => {
            const info = indicators.get(id);
            return (
              <li key={id} data-indicator={id}>
                <code>{id}</code>{' '}
                <span data-testid="online-precision">
                  {info && info.precision !== null
                    ? t('online.indicator.precision', { value: `${Math.round(info.precision * 100)}% (${info.true_positive}/${info.true_positive + info.false_positive})` })
                    : t('online.indicator.noverdict')}
                </span>
                {mayFeedback && (
                  <>
                    {' '}
                    <button type="button" class="button button-small" data-testid="online-feedback-true" onClick={() => void verdict(id, true)}>
                      {t('online.feedback.true')}
                    </button>{' '}
                    <button type="button" class="button button-small" data-testid="online-feedback-false" onClick={() => void verdict(id, false)}>
                      {t('online.feedback.false')}
                    </button>
                  </>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {done && (
        <p class="notice" role="status" data-testid="online-feedback-done">
          {t('online.feedback.done', { indicator: done })}
        </p>
      )}
      {error && <ErrorNotice error={error} />}
    </article>
  );
}

function Export({ id }: { id: number }) {
  const { t } = useI18n<OnlineKey>();
  const [result, setResult] = useState<{ id: number; url: string } | null>(null);
  const [error, setError] = useState<Error | null>(null);
  useEffect(() => () => result && URL.revokeObjectURL(result.url), [result]);
  const run = async () => {
    setError(null);
    try {
      const pkg = await api.post('/ads/networks/{id}/evidence', { path: { id } });
      const report = pkg.files.find((f) => f.name === 'report.html');
      const url = URL.createObjectURL(new Blob([report?.content ?? ''], { type: 'text/html' }));
      setResult({ id: pkg.export_id, url });
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    }
  };
  return (
    <p>
      <button type="button" class="button" data-testid="online-export" onClick={() => void run()}>
        {t('online.export.button')}
      </button>{' '}
      {result && (
        <span role="status" data-testid="online-export-done">
          {t('online.export.done', { id: String(result.id) })}{' '}
          <a href={result.url} download={`network-${id}-report.html`}>
            {t('online.export.download')}
          </a>
        </span>
      )}
      {error && <ErrorNotice error={error} />}
    </p>
  );
}
