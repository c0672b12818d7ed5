// The screening page: set up (language, instrument, person, encounter), answer the questions,
// read the result and refer; and, for roles that may, the coverage of screening. A role with
// screen.instruments but not screenings.create evaluates without storing (/screen/evaluate).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { Language, Profile } from '../../api/types';
import type { ScreeningKey } from './messages';
import { useI18n } from '../../i18n';
import type { PageProps } from '../types';
import { Coverage } from './Coverage';
import { Questions, type QuestionMode } from './Questions';
import { ResultView } from './ResultView';
import { SetupForm } from './SetupForm';
import {
  allQuestions,
  carryOver,
  createBody,
  evaluateBody,
  profileOf,
  readInstrument,
  readProfiles,
  readRecord,
  SCREENER_PROFILE,
  textsOf,
  type Answer,
  type Instrument,
  type InstrumentTexts,
  type ProfileInfo,
  type ScreeningRecord,
  type ScreeningSetup,
} from './model';

type Step = 'setup' | 'questions' | 'result';

const MODE_KEY = 'ctip.questionMode';

function initialSetup(lang: Language): ScreeningSetup {
  return {
    lang,
    kind: 'screener',
    profile: 'adult_labour',
    age: '',
    ageUnknown: false,
    mayBeMinor: false,
    encounterSource: 'border',
    interpreter: false,
    nationality: '',
    personRef: '',
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

export function ScreeningPage({ me }: PageProps) {
  const { t, lang } = useI18n<ScreeningKey>();
  const has = (action: string) => me.permissions.includes(action);
  const mayScreen = has('screen.instruments') || has('screenings.create');
  const mayRecord = has('screenings.create');

  const [step, setStep] = useState<Step>('setup');
  const [setup, setSetup] = useState<ScreeningSetup>(() => initialSetup(lang));
  const [profiles, setProfiles] = useState<ProfileInfo[]>([]);
  const [instrument, setInstrument] = useState<Instrument | null>(null);
  const [instrumentError, setInstrumentError] = useState<string | null>(null);
  const [answers, setAnswers] = useState<Record<string, Answer>>({});
  const [mode, setMode] = useState<QuestionMode>(savedMode);
  const [busy, setBusy] = useState(false);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const [record, setRecord] = useState<ScreeningRecord | null>(null);
  const [carried, setCarried] = useState(0);
  // The screener as answered, to carry its answers into the full interview it routes to.
  const [screener, setScreener] = useState<{ instrument: Instrument; answers: Record<string, Answer> } | null>(null);
  const [texts, setTexts] = useState<InstrumentTexts | undefined>(undefined);

  useEffect(() => {
    if (!has('screen.instruments')) return;
    api
      .get('/screen/profiles', { query: { lang } })
      .then((list) => setProfiles(readProfiles(list)))
      .catch(() => setProfiles([]));
  }, [lang]);

  // The questions in the interview's language; fetched again when the language changes, the
  // answers (keyed by question id) are kept.
  const profile = profileOf(setup);
  useEffect(() => {
    if (step !== 'questions') return;
    let cancelled = false;
    setInstrumentError(null);
    const doc =
      profile === SCREENER_PROFILE
        ? api.get('/screen/screener', { query: { lang } })
        : api.get('/screen/instruments/{profile}', { path: { profile }, query: { lang } });
    doc
      .then((answer) => {
        if (!cancelled) setInstrument(readInstrument(answer));
      })
      .catch((e) => {
        if (!cancelled) setInstrumentError(message(e));
      });
    return () => {
      cancelled = true;
    };
  }, [step, profile, lang]);

  // Texts of the evaluated profile in the interface language: the result of a recorded
  // screening, or of the screener (routed to a profile), may come in English.
  const resultProfile = record?.result.profile;
  useEffect(() => {
    if (step !== 'result' || !resultProfile) return;
    if (instrument && instrument.profile === resultProfile) {
      setTexts(textsOf(instrument));
      return;
    }
    let cancelled = false;
    api
      .get('/screen/instruments/{profile}', { path: { profile: resultProfile }, query: { lang } })
      .then((answer) => {
        if (!cancelled) setTexts(textsOf(readInstrument(answer)));
      })
      .catch(() => {
        if (!cancelled) setTexts(undefined);
      });
    return () => {
      cancelled = true;
    };
  }, [step, resultProfile, lang, instrument]);

  function changeMode(next: QuestionMode) {
    setMode(next);
    try {
      localStorage.setItem(MODE_KEY, next);
    } catch {
      // Not remembered; harmless.
    }
  }

  async function finish() {
    if (!instrument) return;
    setBusy(true);
    setSubmitError(null);
    const questions = allQuestions(instrument);
    const current = { ...setup, lang };
    try {
      const answer = mayRecord
        ? await api.post('/screenings', { body: createBody(current, questions, answers) })
        : await api.post('/screen/evaluate', { body: evaluateBody(current, questions, answers) });
      setRecord(readRecord(answer));
      setScreener(profileOf(current) === SCREENER_PROFILE ? { instrument, answers } : null);
      setTexts(undefined);
      setStep('result');
      window.scrollTo({ top: 0 });
    } catch (e) {
      setSubmitError(message(e));
    } finally {
      setBusy(false);
    }
  }

  function startNew() {
    setSetup(initialSetup(lang));
    setAnswers({});
    setCarried(0);
    setInstrument(null);
    setRecord(null);
    setScreener(null);
    setSubmitError(null);
    setStep('setup');
  }

  // After the first-contact screener: the full interview of the routed profile, for the same
  // person and encounter, with the screener's answers carried over to be checked.
  function startFullInterview(profile: Profile) {
    const carriedAnswers = screener ? carryOver(screener.instrument, screener.answers, profile) : {};
    setSetup({ ...setup, kind: 'profile', profile });
    setAnswers(carriedAnswers);
    setCarried(Object.keys(carriedAnswers).length);
    setInstrument(null);
    setRecord(null);
    setSubmitError(null);
    setStep('questions');
    window.scrollTo({ top: 0 });
  }

  return (
    <section class="page page-screening">
      <h1>{t('screening.title')}</h1>
      {mayScreen && <p class="lead">{t('screening.intro')}</p>}

      {mayScreen && step === 'setup' && (
        <SetupForm
          setup={setup}
          onChange={setSetup}
          onStart={() => {
            setInstrument(null);
            setCarried(0);
            setStep('questions');
          }}
          profiles={profiles}
          recordable={mayRecord}
        />
      )}

      {mayScreen && step === 'questions' && (
        <>
          {instrumentError && (
            <div class="card">
              <p class="notice notice-error" role="alert">
                {t('common.error', { message: instrumentError })}
              </p>
              <button type="button" class="button" onClick={() => setStep('setup')}>
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
              onAnswer={(id, a) => setAnswers((prev) => ({ ...prev, [id]: a }))}
              mode={mode}
              onModeChange={changeMode}
              onBack={() => setStep('setup')}
              onFinish={() => void finish()}
              busy={busy}
              error={submitError}
              notice={carried > 0 ? t('screening.carried_over', { n: carried }) : undefined}
            />
          )}
        </>
      )}

      {mayScreen && step === 'result' && record && (
        <ResultView
          record={record}
          mayRefer={has('screenings.refer')}
          texts={texts}
          onNew={startNew}
          onFullInterview={startFullInterview}
        />
      )}

      {has('screenings.coverage') && <Coverage />}
    </section>
  );
}
