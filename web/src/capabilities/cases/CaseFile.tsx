// One case: who the person is (HTCDS fields, no name), its timeline (the screening, status
// history, referrals, permits, proceedings and hearings, notes, tasks) and the forms of the next
// steps. Each form posts one use case; the server refuses bad input with the reason, shown here.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { Me } from '../../api/types';
import { useI18n } from '../../i18n';
import { AsyncState, Card, ErrorNotice, useResource } from '../../ui';
import type { CasesKey } from './messages';
import { addDays, SERVICE_TYPES, today, type CaseView, type MatchResult, type ServiceReferral, type ServiceType } from './model';

type Reload = () => void;

export function CaseFile({ id, me }: { id: number; me: Me }) {
  const { t } = useI18n<CasesKey>();
  const file = useResource(() => api.get('/cases/{id}', { path: { id } }), [id]);
  const referrals = useResource(
    () => (me.permissions.includes('referrals.read') ? api.get('/referrals', { query: { case_id: id } }) : Promise.resolve({ referrals: [] as ServiceReferral[] })),
    [id],
  );
  const reload = () => {
    file.reload();
    referrals.reload();
  };
  return (
    <>
      <p>
        <a href="#/cases">{t('cases.back')}</a>
      </p>
      <AsyncState resource={file}>
        {(d) => <Case view={d.case} referrals={referrals.data?.referrals ?? []} me={me} reload={reload} />}
      </AsyncState>
    </>
  );
}

function Case({ view, referrals, me, reload }: { view: CaseView; referrals: ServiceReferral[]; me: Me; reload: Reload }) {
  const { t, tid } = useI18n<CasesKey>();
  const owner = view.access === 'owner';
  const may = (a: string) => me.permissions.includes(a);
  const p = view.person;
  const open = !view.closed_at;
  return (
    <div data-testid="case-file" data-case={view.id} data-status={view.victim_status} data-closed={view.closed_at ? 'true' : 'false'}>
      <h1 data-testid="case-title">{t('cases.case', { id: String(view.id) })}</h1>
      <p class="lead">
        {view.person_reference} · {view.organisation} · <span data-testid="case-status">{tid('cases.status', view.victim_status)}</span>
        {view.closed_at && (
          <>
            {' '}
            · <strong data-testid="case-closed">{t('cases.closed_on', { date: view.closed_at.slice(0, 10), reason: view.closure_reason ?? '' })}</strong>
          </>
        )}
      </p>
      <p>
        {t('cases.person', {
          sex: tid('cases.sex', p.sex),
          age: p.age === null ? '–' : String(p.age),
          nationality: p.nationality ?? '–',
          languages: p.languages || '–',
          region: p.region ?? '–',
          documentation: tid('cases.documentation', p.documentation_status),
        })}
      </p>
      {owner && view.consents && (
        <p data-testid="case-consents">
          {t('cases.consents')}{' '}
          {(['services', 'law_enforcement', 'statistics', 'transfer'] as const).map((purpose) => (
            <span key={purpose} data-consent={purpose} data-granted={view.consents![purpose] ? 'true' : 'false'}>
              {tid('cases.purpose', purpose)}: {view.consents![purpose] ? t('cases.yes') : t('cases.no')};{' '}
            </span>
          ))}
        </p>
      )}
      {owner && view.shares && view.shares.length > 0 && (
        <p data-testid="case-shares">
          {t('cases.shares')} {view.shares.map((s) => `${s.organisation} (${tid('cases.share', s.reason)})`).join(', ')}
        </p>
      )}
      <Timeline view={view} referrals={referrals} />
      {open && (
        <div class="cases-actions">
          {owner && may('cases.write') && <PersonForm view={view} reload={reload} />}
          {owner && may('cases.write') && <StatusForm id={view.id} reload={reload} />}
          {owner && may('cases.write') && <ConsentForm id={view.id} reload={reload} />}
          {owner && may('cases.write') && <ShareForm id={view.id} reload={reload} />}
          {may('referrals.create') && owner && <ReferralForm key={view.person.languages} view={view} reload={reload} />}
          {owner && may('permits.write') && <PermitForm id={view.id} reload={reload} />}
          {may('proceedings.write') && <ProceedingForm view={view} reload={reload} />}
          {may('cases.notes') && <NoteForm id={view.id} reload={reload} />}
          {may('cases.tasks') && <TaskForm id={view.id} reload={reload} />}
          {owner && may('cases.write') && <CloseForm id={view.id} reload={reload} />}
        </div>
      )}
      {referrals.length > 0 && <Referrals referrals={referrals} me={me} reload={reload} />}
      {view.tasks.length > 0 && may('cases.tasks') && <Tasks view={view} reload={reload} />}
    </div>
  );
}

interface TimelineEvent {
  at: string;
  kind: string;
  text: string;
}

function Timeline({ view, referrals }: { view: CaseView; referrals: ServiceReferral[] }) {
  const { t, tid } = useI18n<CasesKey>();
  const events: TimelineEvent[] = [];
  events.push({ at: view.screening.created_at, kind: 'screening', text: t('cases.ev.screening', { id: String(view.screening.id), outcome: tid('cases.outcome', view.screening.outcome) }) });
  for (const h of view.status_history)
    events.push({ at: h.at, kind: 'status', text: `${h.from ? tid('cases.status', h.from) + ' → ' : ''}${tid('cases.status', h.to)}${h.reason ? ` — ${h.reason}` : ''}` });
  for (const r of view.referrals) events.push({ at: r.at, kind: 'recommended', text: `${tid('cases.referral', r.kind)} (${tid('cases.rstatus', r.status)})` });
  for (const r of referrals)
    events.push({
      at: r.created_at,
      kind: 'referral',
      text: t('cases.ev.referral', { service: tid('cases.service', r.service), provider: r.provider.name, status: tid('cases.rstatus', r.status) }),
    });
  for (const p of view.permits)
    events.push({
      at: p.requested_on,
      kind: 'permit',
      text: t('cases.ev.permit', { kind: tid('cases.permit', p.kind), status: tid('cases.pstatus', p.status), tied: p.tied_to_employer ? t('cases.tied') : t('cases.untied') }),
    });
  for (const pr of view.proceedings) {
    events.push({
      at: pr.opened_on,
      kind: 'proceeding',
      text: t('cases.ev.proceeding', { kind: tid('cases.proceeding', pr.kind), status: pr.status, court: pr.court ?? '–' }) + (pr.essential ? ` · ${t('cases.essential')}` : ''),
    });
    for (const h of pr.hearings)
      events.push({
        at: h.scheduled_on,
        kind: 'hearing',
        text: t('cases.ev.hearing', { status: h.status, court: pr.court ?? '–' }) + (h.interpreter_needed ? ` · ${t('cases.interpreter_lang', { lang: h.interpreter_language ?? '?' })}` : ''),
      });
  }
  for (const n of view.notes) events.push({ at: n.current.at, kind: 'note', text: `${n.current.body} (v${n.current.version}${n.current.author ? `, ${n.current.author}` : ''})` });
  for (const task of view.tasks)
    events.push({ at: task.due_on, kind: 'task', text: t('cases.ev.task', { title: task.title, due: task.due_on, done: task.done_at ? t('cases.done') : t('cases.open') }) });
  for (const tr of view.transfers) events.push({ at: tr.at, kind: 'transfer', text: `${tr.from} → ${tr.to}: ${tr.reason}` });
  if (view.closed_at) events.push({ at: view.closed_at, kind: 'closed', text: view.closure_reason ?? '' });
  // By day: permits, proceedings, hearings and tasks carry dates without a time, so within a day
  // the events keep the order of the case's life above (the sort is stable).
  const day = (e: TimelineEvent) => e.at.slice(0, 10);
  events.sort((a, b) => (day(a) < day(b) ? -1 : day(a) > day(b) ? 1 : 0));
  return (
    <Card title={t('cases.timeline')} titleId="case-timeline">
      <ol class="cases-timeline" data-testid="case-timeline">
        {events.map((e, i) => (
          <li key={i} data-kind={e.kind}>
            <span class="when">{e.at.slice(0, 10)}</span>
            <span class="kind">{t(`cases.kind.${e.kind}` as CasesKey)}</span>
            <span>{e.text}</span>
          </li>
        ))}
      </ol>
    </Card>
  );
}

/** A form that posts once and reloads the case; the server's refusal is shown with its reason. */
function Action({ title, testId, submit, reload, children, label }: { title: string; testId: string; submit: () => Promise<unknown>; reload: Reload; children: ComponentChildren; label: string }) {
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <Card title={title} titleId={`${testId}-title`}>
      <form
        data-testid={testId}
        onSubmit={(e) => {
          e.preventDefault();
          setError(null);
          setBusy(true);
          submit().then(
            () => {
              setBusy(false);
              reload();
            },
            (err: unknown) => {
              setBusy(false);
              setError(err instanceof Error ? err : new Error(String(err)));
            },
          );
        }}
      >
        {children}
        <button type="submit" class="button" disabled={busy}>
          {label}
        </button>
        {error && <ErrorNotice error={error} />}
      </form>
    </Card>
  );
}

const value = (e: globalThis.Event) => (e.currentTarget as HTMLInputElement).value;
const checked = (e: globalThis.Event) => (e.currentTarget as HTMLInputElement).checked;

function PersonForm({ view, reload }: { view: CaseView; reload: Reload }) {
  const { t, tid } = useI18n<CasesKey>();
  const [sex, setSex] = useState(view.person.sex);
  const [age, setAge] = useState(view.person.age === null ? '' : String(view.person.age));
  const [languages, setLanguages] = useState(view.person.languages);
  const [region, setRegion] = useState(view.person.region ?? '');
  const [documentation, setDocumentation] = useState(view.person.documentation_status);
  return (
    <Action
      title={t('cases.form.person')}
      testId="form-person"
      label={t('cases.save')}
      reload={reload}
      submit={() =>
        api.patch('/cases/{id}', {
          path: { id: view.id },
          body: { sex, age: age === '' ? null : Number(age), languages, region: region || null, documentation_status: documentation },
        })
      }
    >
      <label>
        {t('cases.field.sex')}
        <select name="sex" value={sex} onChange={(e) => setSex(value(e) as typeof sex)}>
          {(['female', 'male', 'other', 'unknown'] as const).map((s) => (
            <option key={s} value={s}>
              {tid('cases.sex', s)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('cases.field.age')}
        <input name="age" type="number" min={0} max={130} value={age} onInput={(e) => setAge(value(e))} />
      </label>
      <label>
        {t('cases.field.languages')}
        <input name="languages" value={languages} onInput={(e) => setLanguages(value(e))} />
      </label>
      <label>
        {t('cases.field.region')}
        <input name="region" value={region} onInput={(e) => setRegion(value(e))} />
      </label>
      <label>
        {t('cases.field.documentation')}
        <select name="documentation" value={documentation} onChange={(e) => setDocumentation(value(e) as typeof documentation)}>
          {(['none', 'pending', 'temporary_permit', 'regular', 'unknown'] as const).map((s) => (
            <option key={s} value={s}>
              {tid('cases.documentation', s)}
            </option>
          ))}
        </select>
      </label>
    </Action>
  );
}

function StatusForm({ id, reload }: { id: number; reload: Reload }) {
  const { t, tid } = useI18n<CasesKey>();
  const [status, setStatus] = useState<CaseView['victim_status']>('presumed');
  const [reason, setReason] = useState('');
  return (
    <Action title={t('cases.form.status')} testId="form-status" label={t('cases.save')} reload={reload} submit={() => api.patch('/cases/{id}/status', { path: { id }, body: { status, reason } })}>
      <label>
        {t('cases.field.status')}
        <select name="status" value={status} onChange={(e) => setStatus(value(e) as typeof status)}>
          {(['possible', 'presumed', 'confirmed', 'not_a_victim'] as const).map((s) => (
            <option key={s} value={s}>
              {tid('cases.status', s)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('cases.field.reason')}
        <input name="reason" value={reason} onInput={(e) => setReason(value(e))} />
      </label>
    </Action>
  );
}

function ConsentForm({ id, reload }: { id: number; reload: Reload }) {
  const { t, tid } = useI18n<CasesKey>();
  const [purpose, setPurpose] = useState<'services' | 'law_enforcement' | 'statistics' | 'transfer'>('services');
  const [granted, setGranted] = useState(true);
  return (
    <Action title={t('cases.form.consent')} testId="form-consent" label={t('cases.record')} reload={reload} submit={() => api.post('/cases/{id}/consents', { path: { id }, body: { purpose, granted } })}>
      <label>
        {t('cases.field.purpose')}
        <select name="purpose" value={purpose} onChange={(e) => setPurpose(value(e) as typeof purpose)}>
          {(['services', 'law_enforcement', 'statistics', 'transfer'] as const).map((s) => (
            <option key={s} value={s}>
              {tid('cases.purpose', s)}
            </option>
          ))}
        </select>
      </label>
      <label class="inline">
        <input type="checkbox" name="granted" checked={granted} onChange={(e) => setGranted(checked(e))} /> {t('cases.field.granted')}
      </label>
    </Action>
  );
}

function ShareForm({ id, reload }: { id: number; reload: Reload }) {
  const { t } = useI18n<CasesKey>();
  const [org, setOrg] = useState('');
  return (
    <Action title={t('cases.form.share')} testId="form-share" label={t('cases.share_button')} reload={reload} submit={() => api.post('/cases/{id}/law-enforcement', { path: { id }, body: { org_id: Number(org) } })}>
      <label>
        {t('cases.field.org')}
        <input name="org" type="number" min={1} required value={org} onInput={(e) => setOrg(value(e))} />
      </label>
      <p class="muted">{t('cases.share_hint')}</p>
    </Action>
  );
}

function ReferralForm({ view, reload }: { view: CaseView; reload: Reload }) {
  const { t, tid } = useI18n<CasesKey>();
  const [service, setService] = useState<ServiceType>('shelter');
  const [interpreter, setInterpreter] = useState(false);
  const [languages, setLanguages] = useState(view.person.languages);
  const [result, setResult] = useState<MatchResult | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const langs = languages.split(',').map((l) => l.trim()).filter(Boolean);
  const fail = (e: unknown) => setError(e instanceof Error ? e : new Error(String(e)));
  const match = () => {
    setError(null);
    setSent(null);
    api
      .post('/referrals/matches', { body: { case_id: view.id, services: [service], languages: langs, interpreter_needed: interpreter, include_excluded: false, limit: 20 } })
      .then(setResult, fail);
  };
  const refer = (providerId: number, name: string) => {
    setError(null);
    api.post('/referrals', { body: { case_id: view.id, provider_id: providerId, service, interpreter_needed: interpreter, languages: langs } }).then(() => {
      setSent(name);
      setResult(null);
      reload();
    }, fail);
  };
  return (
    <Card title={t('cases.form.referral')} titleId="form-referral-title">
      <form
        data-testid="form-referral"
        onSubmit={(e) => {
          e.preventDefault();
          match();
        }}
      >
        <label>
          {t('cases.field.service')}
          <select name="service" value={service} onChange={(e) => setService(value(e) as ServiceType)}>
            {SERVICE_TYPES.map((s) => (
              <option key={s} value={s}>
                {tid('cases.service', s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('cases.field.languages')}
          <input name="languages" value={languages} onInput={(e) => setLanguages(value(e))} />
        </label>
        <label class="inline">
          <input type="checkbox" name="interpreter" checked={interpreter} onChange={(e) => setInterpreter(checked(e))} /> {t('cases.field.interpreter')}
        </label>
        <button type="submit" class="button">
          {t('cases.match')}
        </button>
      </form>
      {sent && (
        <p class="notice" role="status" data-testid="referral-sent">
          {t('cases.referral_sent', { provider: sent })}
        </p>
      )}
      {error && <ErrorNotice error={error} />}
      {result && (
        <div data-testid="match-result">
          <p>{t('cases.match_summary', { n: result.eligible, excluded: result.excluded_count })}</p>
          {result.ranked.length === 0 && <p data-testid="match-none">{t('cases.match_none')}</p>}
          <ol class="cases-reasons">
            {result.ranked.map((r) => (
              <li key={r.provider.id} data-provider={r.provider.id} data-testid="match-row">
                <strong>{r.provider.name}</strong> ({r.provider.location}, {r.provider.region}) ·{' '}
                <span data-testid="match-free">{t('cases.free_places', { free: String(r.provider.free_places), capacity: String(r.provider.capacity) })}</span>{' '}
                · {r.score.toFixed(1)}
                <ul data-testid="match-reasons">
                  {r.reasons.map((reason, i) => (
                    <li key={i}>{reason.text}</li>
                  ))}
                </ul>
                <button type="button" class="button button-small" data-testid="refer" onClick={() => refer(r.provider.id, r.provider.name)}>
                  {t('cases.refer')}
                </button>
              </li>
            ))}
          </ol>
        </div>
      )}
    </Card>
  );
}

function Referrals({ referrals, me, reload }: { referrals: ServiceReferral[]; me: Me; reload: Reload }) {
  const { t, tid } = useI18n<CasesKey>();
  const [error, setError] = useState<Error | null>(null);
  const mine = (r: ServiceReferral) => r.provider.org_id !== null && r.provider.org_id === me.user.organisation.id && me.permissions.includes('referrals.respond');
  const act = (p: Promise<unknown>) => {
    setError(null);
    p.then(reload, (e: unknown) => setError(e instanceof Error ? e : new Error(String(e))));
  };
  return (
    <Card title={t('cases.referrals')} titleId="case-referrals">
      {error && <ErrorNotice error={error} />}
      <ul data-testid="case-referrals">
        {referrals.map((r) => (
          <li key={r.id} data-referral={r.id} data-service={r.service} data-status={r.status}>
            {tid('cases.service', r.service)} → {r.provider.name}: <strong>{tid('cases.rstatus', r.status)}</strong>
            {r.interpreter_needed && <> · {t('cases.field.interpreter')}</>}
            {r.response_reason && <> — {r.response_reason}</>}
            {mine(r) && r.status === 'sent' && (
              <>
                {' '}
                <button type="button" class="button button-small" data-testid="referral-accept" onClick={() => act(api.post('/referrals/{id}/response', { path: { id: r.id }, body: { decision: 'accepted' } }))}>
                  {t('cases.accept')}
                </button>
              </>
            )}
            {mine(r) && r.status === 'accepted' && (
              <>
                {' '}
                <button type="button" class="button button-small" data-testid="referral-complete" onClick={() => act(api.post('/referrals/{id}/completion', { path: { id: r.id } }))}>
                  {t('cases.complete')}
                </button>
              </>
            )}
          </li>
        ))}
      </ul>
    </Card>
  );
}

function Tasks({ view, reload }: { view: CaseView; reload: Reload }) {
  const { t, tid } = useI18n<CasesKey>();
  const [error, setError] = useState<Error | null>(null);
  const toggle = (id: number, done: boolean) => {
    setError(null);
    api.patch('/tasks/{id}', { path: { id }, body: { done } }).then(reload, (e: unknown) => setError(e instanceof Error ? e : new Error(String(e))));
  };
  return (
    <Card title={t('cases.tasks.title')} titleId="case-tasks">
      {error && <ErrorNotice error={error} />}
      <ul data-testid="case-tasks">
        {view.tasks.map((task) => (
          <li key={task.id} data-task={task.id} data-done={task.done_at ? 'true' : 'false'}>
            {tid('cases.task', task.kind)}: {task.title} · {task.due_on}
            {task.assigned_username && <> · {task.assigned_username}</>}{' '}
            <button type="button" class="button button-small" data-testid="task-toggle" onClick={() => toggle(task.id, !task.done_at)}>
              {task.done_at ? t('cases.tasks.reopen') : t('cases.tasks.mark_done')}
            </button>
          </li>
        ))}
      </ul>
    </Card>
  );
}

function PermitForm({ id, reload }: { id: number; reload: Reload }) {
  const { t, tid } = useI18n<CasesKey>();
  const [kind, setKind] = useState<'temporary_residence' | 'work_permit'>('temporary_residence');
  const [tied, setTied] = useState(false);
  const [requested, setRequested] = useState(today());
  const [reference, setReference] = useState('');
  return (
    <Action
      title={t('cases.form.permit')}
      testId="form-permit"
      label={t('cases.record')}
      reload={reload}
      submit={() => api.post('/cases/{id}/permits', { path: { id }, body: { kind, tied_to_employer: tied, requested_on: requested, reference: reference || undefined } })}
    >
      <label>
        {t('cases.field.permit')}
        <select name="kind" value={kind} onChange={(e) => setKind(value(e) as typeof kind)}>
          {(['temporary_residence', 'work_permit'] as const).map((s) => (
            <option key={s} value={s}>
              {tid('cases.permit', s)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('cases.field.requested')}
        <input name="requested_on" type="date" value={requested} onInput={(e) => setRequested(value(e))} />
      </label>
      <label>
        {t('cases.field.reference')}
        <input name="reference" value={reference} onInput={(e) => setReference(value(e))} />
      </label>
      <label class="inline">
        <input type="checkbox" name="tied" checked={tied} onChange={(e) => setTied(checked(e))} /> {t('cases.field.tied')}
      </label>
    </Action>
  );
}

function ProceedingForm({ view, reload }: { view: CaseView; reload: Reload }) {
  const { t, tid } = useI18n<CasesKey>();
  const [kind, setKind] = useState<'investigation' | 'prosecution' | 'trial' | 'appeal' | 'compensation_claim' | 'civil_claim'>('trial');
  const [court, setCourt] = useState('');
  const [essential, setEssential] = useState(true);
  return (
    <>
      <Action
        title={t('cases.form.proceeding')}
        testId="form-proceeding"
        label={t('cases.record')}
        reload={reload}
        submit={() => api.post('/proceedings', { body: { case_id: view.id, kind, court: court || undefined, essential } })}
      >
        <label>
          {t('cases.field.proceeding')}
          <select name="kind" value={kind} onChange={(e) => setKind(value(e) as typeof kind)}>
            {(['investigation', 'prosecution', 'trial', 'appeal', 'compensation_claim', 'civil_claim'] as const).map((s) => (
              <option key={s} value={s}>
                {tid('cases.proceeding', s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('cases.field.court')}
          <input name="court" value={court} onInput={(e) => setCourt(value(e))} />
        </label>
        <label class="inline">
          <input type="checkbox" name="essential" checked={essential} onChange={(e) => setEssential(checked(e))} /> {t('cases.essential')}
        </label>
      </Action>
      {view.proceedings.map((p) => (
        <HearingForm key={p.id} proceedingId={p.id} label={`${tid('cases.proceeding', p.kind)} ${p.court ?? ''}`} reload={reload} />
      ))}
    </>
  );
}

function HearingForm({ proceedingId, label, reload }: { proceedingId: number; label: string; reload: Reload }) {
  const { t } = useI18n<CasesKey>();
  const [date, setDate] = useState(addDays(today(), 14));
  const [interpreter, setInterpreter] = useState(false);
  const [language, setLanguage] = useState('');
  return (
    <Action
      title={t('cases.form.hearing', { proceeding: label })}
      testId="form-hearing"
      label={t('cases.record')}
      reload={reload}
      submit={() =>
        api.post('/proceedings/{id}/hearings', {
          path: { id: proceedingId },
          body: { scheduled_on: date, interpreter_needed: interpreter, interpreter_language: interpreter && language ? language : undefined },
        })
      }
    >
      <label>
        {t('cases.field.date')}
        <input name="scheduled_on" type="date" value={date} onInput={(e) => setDate(value(e))} />
      </label>
      <label class="inline">
        <input type="checkbox" name="interpreter" checked={interpreter} onChange={(e) => setInterpreter(checked(e))} /> {t('cases.field.interpreter')}
      </label>
      <label>
        {t('cases.field.interpreter_language')}
        <input name="interpreter_language" value={language} maxLength={2} onInput={(e) => setLanguage(value(e))} />
      </label>
    </Action>
  );
}

function NoteForm({ id, reload }: { id: number; reload: Reload }) {
  const { t } = useI18n<CasesKey>();
  const [body, setBody] = useState('');
  return (
    <Action title={t('cases.form.note')} testId="form-note" label={t('cases.record')} reload={reload} submit={() => api.post('/cases/{id}/notes', { path: { id }, body: { body } }).then(() => setBody(''))}>
      <label>
        {t('cases.field.note')}
        <textarea name="body" required value={body} onInput={(e) => setBody(value(e))} />
      </label>
    </Action>
  );
}

function TaskForm({ id, reload }: { id: number; reload: Reload }) {
  const { t, tid } = useI18n<CasesKey>();
  const [kind, setKind] = useState<'follow_up_visit' | 'permit_renewal' | 'hearing_preparation' | 'other'>('follow_up_visit');
  const [title, setTitle] = useState('');
  const [due, setDue] = useState(addDays(today(), 7));
  return (
    <Action title={t('cases.form.task')} testId="form-task" label={t('cases.record')} reload={reload} submit={() => api.post('/cases/{id}/tasks', { path: { id }, body: { kind, title, due_on: due } })}>
      <label>
        {t('cases.field.task')}
        <select name="kind" value={kind} onChange={(e) => setKind(value(e) as typeof kind)}>
          {(['follow_up_visit', 'permit_renewal', 'hearing_preparation', 'other'] as const).map((s) => (
            <option key={s} value={s}>
              {tid('cases.task', s)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('cases.field.title')}
        <input name="title" required value={title} onInput={(e) => setTitle(value(e))} />
      </label>
      <label>
        {t('cases.field.due')}
        <input name="due_on" type="date" value={due} onInput={(e) => setDue(value(e))} />
      </label>
    </Action>
  );
}

function CloseForm({ id, reload }: { id: number; reload: Reload }) {
  const { t } = useI18n<CasesKey>();
  const [reason, setReason] = useState('');
  return (
    <Action title={t('cases.form.close')} testId="form-close" label={t('cases.close')} reload={reload} submit={() => api.patch('/cases/{id}', { path: { id }, body: { closed: true, closure_reason: reason } })}>
      <label>
        {t('cases.field.reason')}
        <input name="reason" required value={reason} onInput={(e) => setReason(value(e))} />
      </label>
    </Action>
  );
}
