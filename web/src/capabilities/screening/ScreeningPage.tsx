// The screening page: set up (languages, instrument, person, encounter), consent or assent, the
// immediate-danger check (which can go straight to an urgent referral), the questions, and the
// result that leads with what to do now; past screenings and drafts to resume or reopen; and,
// for roles that may, the coverage of screening (on the first step only). A role with
// screen.instruments but not screenings.create evaluates without storing (/screen/evaluate).
//
// Drafts (issue #8 item 8): once the setup is done, the page's state is saved on the server as
// each answer is given (POST /screenings/drafts[/{id}]) and the draft's id is in the address
// (#/screening?draft=N), so a reload or a session that expired loses nothing: what could not be
// saved waits in sessionStorage and is sent again. A recorded screening is at
// #/screening?screening=N.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api } from '../../api/client';
import type { Draft, Language, Profile, ScreeningView } from '../../api/types';
import type { ScreeningKey } from './messages';
import { messages } from './messages';
import { ensureMessages, useI18n, type Lang } from '../../i18n';
import type { PageProps } from '../types';
import { Coverage } from './Coverage';
import { PastScreenings } from './PastScreenings';
import type { QuestionTexts } from './PrintSummary';
import { Questions, type QuestionMode } from './Questions';
import { ResultView } from './ResultView';
import { ConsentStep, SafetyStep, UrgentPanel } from './Safeguards';
import { SetupForm } from './SetupForm';
import {
  addresseeOf,
  allQuestions,
  carryOver,
  createBody,
  draftStateOf,
  evaluateBody,
  interviewOf,
  interviewOrder,
  isChild,
  isUrgent,
  pageStateOf,
  profileOf,
  readInstrument,
  readProfiles,
  readRecord,
  SCREENER_PROFILE,
  setupOfView,
  textsOf,
  type Addressee,
  type Answer,
  type Instrument,
  type InstrumentTexts,
  type PageState,
  type ProfileInfo,
  type Question,
  type ScreeningRecord,
  type ScreeningSetup,
} from './model';

const MODE_KEY = 'ctip.questionMode';
const PENDING_KEY = 'ctip.screening.pending.';

type SaveStatus = 'idle' | 'saving' | 'saved' | 'failed';

function initialSetup(lang: Language): ScreeningSetup {
  return {
    lang,
    interviewLang: lang,
    kind: 'screener',
    profile: 'adult_labour',
    age: '',
    ageUnknown: false,
    mayBeMinor: false,
    encounterSource: 'border',
    encounterDate: new Date().toISOString().slice(0, 10),
    place: '',
    sex: 'not_recorded',
    interpreter: false,
    interpreterLanguage: '',
    nationality: '',
    personRef: '',
  };
}

function initialPage(lang: Language): PageState {
  return {
    step: 'setup',
    setup: initialSetup(lang),
    consent: { confidentiality: false, rightToStop: false, given: null },
    safety: { someoneWaiting: '', familyAtRisk: '' },
    answers: {},
  };
}

function savedMode(): QuestionMode {
  try {
    return localStorage.getItem(MODE_KEY) === 'grouped' ? 'grouped' : 'one';
  } catch {
    return 'one';
  }
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A number from the address's query (#/screening?draft=12). */
function queryNumber(name: string): number | undefined {
  const query = window.location.hash.split('?')[1] ?? '';
  const value = Number(new URLSearchParams(query).get(name));
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

function setQuery(query: string) {
  history.replaceState(null, '', '#/screening' + (query ? '?' + query : ''));
}

function readPending(id: number): PageState | null {
  try {
    const raw = sessionStorage.getItem(PENDING_KEY + id);
    return raw ? (JSON.parse(raw) as PageState) : null;
  } catch {
    return null;
  }
}

function writePending(id: number | null, state: PageState | null) {
  try {
    if (id === null) return;
    if (state) sessionStorage.setItem(PENDING_KEY + id, JSON.stringify(state));
    else sessionStorage.removeItem(PENDING_KEY + id);
  } catch {
    // Storage disabled: the server copy is all there is.
  }
}

/** An instrument in a language, worded for the person (feminine, child) when `to` is given. */
async function loadDoc(profile: string, lang: Language, to?: Addressee): Promise<Instrument> {
  const doc =
    profile === SCREENER_PROFILE
      ? await api.get('/screen/screener', { query: { lang } })
      : await api.get('/screen/instruments/{profile}', { path: { profile: profile as Profile }, query: { lang } });
  return readInstrument(doc, to);
}

function questionTextsOf(instrument: Instrument): Record<string, string> {
  return Object.fromEntries(allQuestions(instrument).map((q) => [q.id, q.text]));
}

export function ScreeningPage({ me }: PageProps) {
  const { t, lang } = useI18n<ScreeningKey>();
  const has = (action: string) => me.permissions.includes(action);
  const mayScreen = has('screen.instruments') || has('screenings.create');
  const mayRecord = has('screenings.create');

  const [page, setPage] = useState<PageState>(() => initialPage(lang));
  const { step, setup, consent, safety, answers } = page;
  const update = (patch: Partial<PageState>) => setPage((p) => ({ ...p, ...patch }));

  const [profiles, setProfiles] = useState<ProfileInfo[]>([]);
  const [instrument, setInstrument] = useState<Instrument | null>(null);
  const [secondary, setSecondary] = useState<Record<string, string> | undefined>(undefined);
  const [instrumentError, setInstrumentError] = useState<string | null>(null);
  const [mode, setMode] = useState<QuestionMode>(savedMode);
  const [busy, setBusy] = useState(false);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [record, setRecord] = useState<ScreeningRecord | null>(null);
  const [carried, setCarried] = useState(0);
  const [texts, setTexts] = useState<InstrumentTexts | undefined>(undefined);
  const [questionTexts, setQuestionTexts] = useState<QuestionTexts | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [, setCatalogues] = useState(0);

  // The draft: its id (also in the address), the revision last saved, what waits to be saved.
  const draftId = useRef<number | null>(null);
  const revision = useRef<number | undefined>(undefined);
  const pending = useRef<PageState | null>(null);
  const saving = useRef(false);
  const [saveStatus, setSaveStatus] = useState<SaveStatus>('idle');

  useEffect(() => {
    if (!has('screen.instruments')) return;
    api
      .get('/screen/profiles', { query: { lang } })
      .then((list) => setProfiles(readProfiles(list)))
      .catch(() => setProfiles([]));
  }, [lang]);

  // The interview's language may differ from the interface's: its texts (consent script,
  // danger questions) are loaded too.
  useEffect(() => {
    if (setup.interviewLang === lang) return;
    void ensureMessages('screening', messages, setup.interviewLang as Lang).then(() => setCatalogues((n) => n + 1));
  }, [setup.interviewLang, lang]);

  // A draft or a screening named in the address: resumed or reopened.
  useEffect(() => {
    const draft = queryNumber('draft');
    const screening = queryNumber('screening');
    if (draft) void resume(draft);
    else if (screening) void reopen(screening);
  }, []);

  // Saves the page's state as it changes, once the setup is done (recordable roles only).
  useEffect(() => {
    if (!mayRecord || step === 'setup' || step === 'result') return;
    pending.current = page;
    writePending(draftId.current, page);
    void flush();
  }, [page]);

  async function flush() {
    if (saving.current) return;
    saving.current = true;
    try {
      while (pending.current) {
        const state = pending.current;
        pending.current = null;
        setSaveStatus('saving');
        try {
          const body = { state: draftStateOf(state) };
          let answer: { draft: Draft };
          if (draftId.current === null) {
            answer = await api.post('/screenings/drafts', { body: state.follows ? { ...body, follows: state.follows } : body });
            draftId.current = answer.draft.id;
            setQuery('draft=' + answer.draft.id);
          } else {
            answer = await api.post('/screenings/drafts/{id}', {
              path: { id: draftId.current },
              body: { ...body, revision: revision.current },
            });
          }
          revision.current = answer.draft.revision;
          if (!pending.current) writePending(draftId.current, null);
        } catch (e) {
          // Kept for the next attempt (and across a reload, in sessionStorage); a page that
          // saved from elsewhere meanwhile takes the server's revision and saves over it.
          pending.current = pending.current ?? state;
          writePending(draftId.current, pending.current);
          if (e instanceof ApiError && e.status === 409 && e.field === 'revision' && draftId.current !== null) {
            const d = await api.get('/screenings/drafts/{id}', { path: { id: draftId.current } }).catch(() => null);
            if (d) {
              revision.current = d.draft.revision;
              continue;
            }
          }
          setSaveStatus('failed');
          return;
        }
      }
      setSaveStatus('saved');
    } finally {
      saving.current = false;
    }
  }

  async function resume(id: number) {
    setLoadError(null);
    try {
      const { draft } = await api.get('/screenings/drafts/{id}', { path: { id } });
      if (draft.status === 'completed' && draft.screening_id) return void (await reopen(draft.screening_id));
      if (draft.status !== 'open') return startNew();
      draftId.current = draft.id;
      revision.current = draft.revision;
      setQuery('draft=' + draft.id);
      const waiting = readPending(draft.id);
      const restored = waiting ?? pageStateOf(draft.state, initialPage(lang));
      setRecord(null);
      setInstrument(null);
      setPage(restored);
      setSaveStatus(waiting ? 'idle' : 'saved');
      window.scrollTo({ top: 0 });
    } catch (e) {
      setLoadError(message(e));
    }
  }

  async function reopen(id: number) {
    setLoadError(null);
    try {
      const view = await api.get('/screenings/{id}', { path: { id } });
      showRecorded(view);
      setPage((p) => ({ ...p, step: 'result', screeningId: id, setup: setupOfView(view, lang) }));
      window.scrollTo({ top: 0 });
    } catch (e) {
      setLoadError(message(e));
    }
  }

  function showRecorded(view: ScreeningView) {
    draftId.current = null;
    revision.current = undefined;
    setQuery('screening=' + view.screening.id);
    setRecord(readRecord(view));
    setTexts(undefined);
  }

  // The questions in the interview's language (sensitive ones last), and in the interface's
  // when it differs, both worded for the person (a woman or a girl, a child); fetched again when
  // a language or the person changes, the answers (keyed by question id) are kept.
  const profile = profileOf(setup);
  const { female, child } = addresseeOf(setup);
  const to: Addressee = { female, child };
  // Said above the questions: the screener and the child instruments are worded for a child (an
  // adult instrument for a person who may be a minor is not); French and Arabic have feminine forms.
  const wordingNotes: string[] = [];
  if (child && (profile === SCREENER_PROFILE || profile.startsWith('child_'))) wordingNotes.push(t('screening.wording.child'));
  if (female && [setup.interviewLang, lang].some((l) => l === 'fr' || l === 'ar')) wordingNotes.push(t('screening.wording.female'));
  useEffect(() => {
    if (step !== 'questions') return;
    let cancelled = false;
    setInstrumentError(null);
    loadDoc(profile, setup.interviewLang, to)
      .then((doc) => {
        if (!cancelled) setInstrument(interviewOrder(doc, t('sensitive.title'), t('sensitive.note')));
      })
      .catch((e) => {
        if (!cancelled) setInstrumentError(message(e));
      });
    if (setup.interviewLang !== lang)
      loadDoc(profile, lang, to)
        .then((doc) => {
          if (!cancelled) setSecondary(questionTextsOf(doc));
        })
        .catch(() => undefined);
    else setSecondary(undefined);
    return () => {
      cancelled = true;
    };
  }, [step, profile, setup.interviewLang, lang, female, child]);

  // Texts of the evaluated profile in the interface language: the result of a recorded
  // screening, or of the screener (routed to a profile), may come in another.
  const resultProfile = record?.result.profile;
  useEffect(() => {
    if (step !== 'result' || !resultProfile) return;
    let cancelled = false;
    loadDoc(resultProfile, lang, to)
      .then((doc) => {
        if (!cancelled) setTexts(textsOf(doc));
      })
      .catch(() => {
        if (!cancelled) setTexts(undefined);
      });
    return () => {
      cancelled = true;
    };
  }, [step, resultProfile, lang, female, child]);

  // The recorded answers' questions in both languages, for the printed summary and corrections.
  const recordedKind = record?.view ? (record.view.screening.instrument === 'screener' ? SCREENER_PROFILE : record.view.screening.profile) : undefined;
  const recordedLang = record?.view?.screening.language;
  useEffect(() => {
    if (!recordedKind || !recordedLang) return setQuestionTexts(undefined);
    let cancelled = false;
    Promise.all([loadDoc(recordedKind, recordedLang, to), loadDoc(recordedKind, lang, to)])
      .then(([primary, second]) => {
        if (!cancelled) setQuestionTexts({ primary: questionTextsOf(primary), secondary: questionTextsOf(second) });
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [recordedKind, recordedLang, lang, female, child]);

  function changeMode(next: QuestionMode) {
    setMode(next);
    try {
      localStorage.setItem(MODE_KEY, next);
    } catch {
      // Not remembered; harmless.
    }
  }

  async function record_(questions: Question[]) {
    setBusy(true);
    setSubmitError(null);
    // A save still on its way finishes first: the screening then completes the draft as saved.
    while (saving.current) await new Promise((r) => setTimeout(r, 50));
    const current = { ...setup, lang };
    const sent = Object.fromEntries(questions.map((q) => [q.id, answers[q.id] ?? 'unknown'])) as Record<string, Answer>;
    try {
      if (mayRecord) {
        const view = await api.post('/screenings', {
          body: createBody(current, questions, answers, {
            interview: interviewOf(current, consent, safety),
            draftId: draftId.current ?? undefined,
            follows: page.follows,
          }),
        });
        writePending(draftId.current, null);
        pending.current = null;
        showRecorded(view);
        setPage((p) => ({ ...p, step: 'result', screeningId: view.screening.id }));
      } else {
        const result = await api.post('/screen/evaluate', { body: evaluateBody(current, questions, answers) });
        setRecord({ ...readRecord(result, sent), urgent: isUrgent(safety) });
        update({ step: 'result' });
      }
      window.scrollTo({ top: 0 });
    } catch (e) {
      setSubmitError(message(e));
    } finally {
      setBusy(false);
    }
  }

  function startNew() {
    draftId.current = null;
    revision.current = undefined;
    pending.current = null;
    setQuery('');
    setPage(initialPage(lang));
    setCarried(0);
    setInstrument(null);
    setRecord(null);
    setSubmitError(null);
    setSaveStatus('idle');
  }

  // Consent refused: nothing of the interview is kept.
  async function discardAndRestart() {
    while (saving.current) await new Promise((r) => setTimeout(r, 50));
    const id = draftId.current;
    if (id !== null) {
      writePending(id, null);
      await api.delete('/screenings/drafts/{id}', { path: { id } }).catch(() => undefined);
    }
    startNew();
  }

  // After the first-contact screener: the full interview of the routed profile, for the same
  // person and encounter, with the screener's answers carried over to be checked; recorded as
  // following the screener.
  async function startFullInterview(next: Profile) {
    const view = record?.view;
    let carriedAnswers: Record<string, Answer> = {};
    if (view && view.screening.instrument === 'screener') {
      const screener = await loadDoc(SCREENER_PROFILE, view.screening.language).catch(() => null);
      if (screener) carriedAnswers = carryOver(screener, (view.screening.answers ?? {}) as Record<string, Answer>, next);
    }
    const base = view ? setupOfView(view, lang) : setup;
    const iv = view?.screening.interview;
    draftId.current = null;
    revision.current = undefined;
    setQuery('');
    setRecord(null);
    setInstrument(null);
    setSubmitError(null);
    setCarried(Object.keys(carriedAnswers).length);
    setPage({
      step: iv ? 'questions' : 'consent',
      setup: { ...base, kind: 'profile', profile: next },
      consent: iv ? { confidentiality: true, rightToStop: true, given: true } : { confidentiality: false, rightToStop: false, given: null },
      safety: iv
        ? { someoneWaiting: iv.safety.someone_waiting, familyAtRisk: iv.safety.family_at_risk }
        : { someoneWaiting: '', familyAtRisk: '' },
      answers: carriedAnswers,
      follows: view?.screening.id,
    });
    window.scrollTo({ top: 0 });
  }

  const saveNote =
    mayRecord && step !== 'setup' && step !== 'result' ? (
      <p class={'save-status save-' + saveStatus} role="status" data-testid="draft-status" data-status={saveStatus}>
        {t(('draft.' + saveStatus) as ScreeningKey)}
        {saveStatus === 'failed' && (
          <>
            {' '}
            <button type="button" class="button button-quiet" onClick={() => void flush()}>
              {t('common.retry')}
            </button>
          </>
        )}
      </p>
    ) : null;

  return (
    <section class="page page-screening">
      <h1 class="no-print">{t('screening.title')}</h1>
      {mayScreen && step === 'setup' && <p class="lead">{t('screening.intro')}</p>}
      {loadError && (
        <p class="notice notice-error" role="alert">
          {t('common.error', { message: loadError })}
        </p>
      )}

      {mayScreen && step === 'setup' && (
        <SetupForm
          setup={setup}
          onChange={(next) => update({ setup: next })}
          onFollowLanguage={(l) => setPage((p) => ({ ...p, setup: { ...p.setup, interviewLang: l, lang: l } }))}
          onStart={() => {
            setInstrument(null);
            setCarried(0);
            update({ step: 'consent', setup: { ...setup, lang } });
          }}
          profiles={profiles}
          recordable={mayRecord}
        />
      )}

      {mayScreen && step === 'consent' && (
        <ConsentStep
          child={isChild(setup)}
          interviewLang={setup.interviewLang as Lang}
          consent={consent}
          onChange={(c) => update({ consent: c })}
          onBack={() => update({ step: 'setup' })}
          onContinue={() => (consent.given ? update({ step: 'safety' }) : void discardAndRestart())}
        />
      )}

      {mayScreen && step === 'safety' && (
        <SafetyStep
          interviewLang={setup.interviewLang as Lang}
          safety={safety}
          onChange={(s) => update({ safety: s })}
          onBack={() => update({ step: 'consent' })}
          onContinue={() => update({ step: isUrgent(safety) ? 'urgent' : 'questions' })}
        />
      )}

      {mayScreen && step === 'urgent' && (
        <UrgentPanel
          mayRecord={mayRecord}
          busy={busy}
          error={submitError}
          onReferNow={() => void record_([])}
          onContinue={() => update({ step: 'questions' })}
        />
      )}

      {mayScreen && step === 'questions' && (
        <>
          {isUrgent(safety) && (
            <p class="notice notice-error" role="status">
              {t('urgent.reminder')}
            </p>
          )}
          {instrumentError && (
            <div class="card">
              <p class="notice notice-error" role="alert">
                {t('common.error', { message: instrumentError })}
              </p>
              <button type="button" class="button" onClick={() => update({ step: 'setup' })}>
                {t('screening.back_to_setup')}
              </button>
            </div>
          )}
          {!instrument && !instrumentError && (
            <p class="card" role="status">
              {t('common.loading')}
            </p>
          )}
          {instrument && (
            <Questions
              instrument={instrument}
              answers={answers}
              onAnswer={(id, a) => setPage((p) => ({ ...p, answers: { ...p.answers, [id]: a } }))}
              mode={mode}
              onModeChange={changeMode}
              onBack={() => update({ step: 'setup' })}
              onFinish={() => void record_(allQuestions(instrument))}
              busy={busy}
              error={submitError}
              notice={carried > 0 ? t('screening.carried_over', { n: carried }) : undefined}
              wording={wordingNotes}
              secondary={secondary}
              interviewLang={setup.interviewLang}
              saveStatus={saveNote}
            />
          )}
        </>
      )}

      {mayScreen && step !== 'questions' && saveNote}

      {mayScreen && step === 'result' && record && (
        <ResultView
          key={record.screeningId ?? 'evaluation'}
          record={record}
          mayRefer={has('screenings.refer')}
          mayCorrect={has('screenings.correct')}
          mayExport={has('screenings.export')}
          texts={texts}
          questionTexts={questionTexts}
          onNew={startNew}
          onFullInterview={(p) => void startFullInterview(p)}
          onCorrected={(view) => setRecord(readRecord(view))}
        />
      )}

      {mayRecord && has('screenings.read') && step === 'setup' && (
        <PastScreenings onResume={(id) => void resume(id)} onReopen={(id) => void reopen(id)} />
      )}

      {has('screenings.coverage') && (!mayScreen || step === 'setup') && <Coverage />}
    </section>
  );
}
