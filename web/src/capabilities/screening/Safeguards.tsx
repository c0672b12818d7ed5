// Before the questions (issue #8 item 7): consent, or a child's assent, with the limits of
// confidentiality read out and the right to stop; then the immediate-danger check, which can go
// straight to an urgent referral. Each step has a script the screener reads out, in the
// interview's language when it differs from the interface's (both are shown).
import { useEffect, useRef } from 'preact/hooks';
import type { ScreeningKey } from './messages';
import { translate, useI18n, type Lang } from '../../i18n';
import { SAFETY_ANSWERS, type ConsentState, type SafetyState } from './model';

/** A text the screener reads out: in the interview's language, and in the interface's below it
 * when they differ. */
function Script({ id, interviewLang, textKey }: { id?: string; interviewLang: Lang; textKey: ScreeningKey }) {
  const { t, lang } = useI18n<ScreeningKey>();
  return (
    <blockquote class="script" id={id}>
      <p lang={interviewLang} dir={interviewLang === 'ar' ? 'rtl' : 'ltr'} class="script-main">
        {translate(interviewLang, textKey)}
      </p>
      {interviewLang !== lang && <p class="script-secondary muted">{t(textKey)}</p>}
    </blockquote>
  );
}

function useFocusOnMount() {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return ref;
}

export function ConsentStep({
  child,
  interviewLang,
  consent,
  onChange,
  onContinue,
  onBack,
}: {
  child: boolean;
  interviewLang: Lang;
  consent: ConsentState;
  onChange: (c: ConsentState) => void;
  onContinue: () => void;
  onBack: () => void;
}) {
  const { t } = useI18n<ScreeningKey>();
  const heading = useFocusOnMount();
  const ready = consent.confidentiality && consent.rightToStop;
  return (
    <section class="card form-grid" aria-labelledby="consent-title" data-testid="screening-consent">
      <h2 id="consent-title" ref={heading} tabIndex={-1}>
        {child ? t('consent.title_assent') : t('consent.title')}
      </h2>
      <p class="muted">{child ? t('consent.intro_assent') : t('consent.intro')}</p>
      <Script interviewLang={interviewLang} textKey={child ? 'consent.script_child' : 'consent.script'} />
      <label class="choice">
        <input
          type="checkbox"
          id="consent-confidentiality"
          checked={consent.confidentiality}
          onChange={(e) => onChange({ ...consent, confidentiality: (e.currentTarget as HTMLInputElement).checked })}
        />
        <span>{t('consent.confidentiality')}</span>
      </label>
      <label class="choice">
        <input
          type="checkbox"
          id="consent-right-to-stop"
          checked={consent.rightToStop}
          onChange={(e) => onChange({ ...consent, rightToStop: (e.currentTarget as HTMLInputElement).checked })}
        />
        <span>{t('consent.right_to_stop')}</span>
      </label>
      <fieldset class="field">
        <legend>{child ? t('consent.question_assent') : t('consent.question')}</legend>
        <div class="choice-row">
          <label class="choice">
            <input
              type="radio"
              name="consent-given"
              value="yes"
              disabled={!ready}
              checked={consent.given === true}
              onChange={() => onChange({ ...consent, given: true })}
            />
            <span>{child ? t('consent.given_assent') : t('consent.given')}</span>
          </label>
          <label class="choice">
            <input
              type="radio"
              name="consent-given"
              value="no"
              disabled={!ready}
              checked={consent.given === false}
              onChange={() => onChange({ ...consent, given: false })}
            />
            <span>{t('consent.refused')}</span>
          </label>
        </div>
        {!ready && <p class="hint">{t('consent.read_first')}</p>}
      </fieldset>
      {consent.given === false && (
        <p class="notice notice-warning" role="status" data-testid="consent-refused">
          {t('consent.refused_note')}
        </p>
      )}
      <div class="form-actions form-actions-split">
        <button type="button" class="button button-quiet" onClick={onBack}>
          {t('screening.back_to_setup')}
        </button>
        <button type="button" class="button button-primary" disabled={!ready || consent.given === null} onClick={onContinue}>
          {t('consent.continue')}
        </button>
      </div>
    </section>
  );
}

export function SafetyStep({
  interviewLang,
  safety,
  onChange,
  onContinue,
  onBack,
}: {
  interviewLang: Lang;
  safety: SafetyState;
  onChange: (s: SafetyState) => void;
  onContinue: () => void;
  onBack: () => void;
}) {
  const { t, tid } = useI18n<ScreeningKey>();
  const heading = useFocusOnMount();
  const question = (key: 'someoneWaiting' | 'familyAtRisk', textKey: ScreeningKey, name: string) => (
    <fieldset class="question" data-safety={name}>
      <legend class="question-text">
        <span lang={interviewLang} dir={interviewLang === 'ar' ? 'rtl' : 'ltr'}>
          {translate(interviewLang, textKey)}
        </span>
      </legend>
      <div class="answer-row">
        {SAFETY_ANSWERS.map((a) => (
          <label key={a} class={'answer answer-' + a + (safety[key] === a ? ' is-selected' : '')}>
            <input type="radio" name={'safety-' + name} value={a} checked={safety[key] === a} onChange={() => onChange({ ...safety, [key]: a })} />
            <span>{tid('safety.answer', a)}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
  const { lang } = useI18n<ScreeningKey>();
  return (
    <section class="card form-grid" aria-labelledby="safety-title" data-testid="screening-safety">
      <h2 id="safety-title" ref={heading} tabIndex={-1}>
        {t('safety.title')}
      </h2>
      <p class="muted">{t('safety.intro')}</p>
      {question('someoneWaiting', 'safety.someone_waiting', 'someone-waiting')}
      {interviewLang !== lang && <p class="script-secondary muted">{t('safety.someone_waiting')}</p>}
      {question('familyAtRisk', 'safety.family_at_risk', 'family-at-risk')}
      {interviewLang !== lang && <p class="script-secondary muted">{t('safety.family_at_risk')}</p>}
      <div class="form-actions form-actions-split">
        <button type="button" class="button button-quiet" onClick={onBack}>
          {t('screening.previous')}
        </button>
        <button type="button" class="button button-primary" disabled={!safety.someoneWaiting || !safety.familyAtRisk} onClick={onContinue}>
          {t('safety.continue')}
        </button>
      </div>
    </section>
  );
}

export function UrgentPanel({
  mayRecord,
  busy,
  error,
  onReferNow,
  onContinue,
}: {
  mayRecord: boolean;
  busy: boolean;
  error: string | null;
  onReferNow: () => void;
  onContinue: () => void;
}) {
  const { t } = useI18n<ScreeningKey>();
  const heading = useFocusOnMount();
  return (
    <section class="card urgent" role="alert" aria-labelledby="urgent-title" data-testid="screening-urgent">
      <h2 id="urgent-title" ref={heading} tabIndex={-1}>
        {t('urgent.title')}
      </h2>
      <ul>
        <li>{t('urgent.step_safe_place')}</li>
        <li>{t('urgent.step_call')}</li>
        <li>{t('urgent.step_refer')}</li>
      </ul>
      {error && (
        <p class="notice notice-error" role="alert">
          {t('common.error', { message: error })}
        </p>
      )}
      <div class="form-actions form-actions-split">
        {mayRecord && (
          <button type="button" class="button button-danger" disabled={busy} onClick={onReferNow} data-testid="urgent-refer">
            {busy ? t('screening.submitting') : t('urgent.refer_now')}
          </button>
        )}
        <button type="button" class="button" onClick={onContinue}>
          {t('urgent.continue')}
        </button>
      </div>
    </section>
  );
}
