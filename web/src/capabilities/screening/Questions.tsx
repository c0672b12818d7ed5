// Step 2: the questions, one per screen or grouped by dimension (the user's choice). Each is
// answered yes / no / don't know with native radio buttons, so arrow keys and screen readers
// work as everywhere else.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ScreeningKey } from './messages';
import { useI18n } from '../../i18n';
import { ANSWERS, allQuestions, type Answer, type Instrument, type Question } from './model';

export type QuestionMode = 'one' | 'grouped';

interface Props {
  instrument: Instrument;
  answers: Record<string, Answer>;
  onAnswer: (id: string, answer: Answer) => void;
  mode: QuestionMode;
  onModeChange: (mode: QuestionMode) => void;
  onBack: () => void;
  onFinish: () => void;
  busy: boolean;
  error: string | null;
  /** A note above the questions (answers carried over from the screener). */
  notice?: string;
  /** How the questions are worded for the person (a child, a woman or a girl), if not the default. */
  wording?: string[];
  /** Question texts in the interface language, when the interview is held in another. */
  secondary?: Record<string, string>;
  interviewLang?: string;
  /** Shown under the question list: whether the answers are saved. */
  saveStatus?: ComponentChildren;
}

function AnswerChoice({
  question,
  value,
  onChange,
  large,
  secondary,
  interviewLang,
}: {
  question: Question;
  value: Answer | undefined;
  onChange: (answer: Answer) => void;
  large?: boolean;
  /** The question in the interface language, when the interview is held in another. */
  secondary?: string;
  interviewLang?: string;
}) {
  const { t } = useI18n<ScreeningKey>();
  const name = 'answer-' + question.id;
  return (
    <fieldset class={large ? 'question question-large' : 'question'} data-question-id={question.id}>
      <legend class="question-text">
        <span lang={interviewLang} dir={interviewLang === 'ar' ? 'rtl' : interviewLang ? 'ltr' : undefined}>
          {question.text}
        </span>
        {secondary && secondary !== question.text && <span class="question-secondary muted">{secondary}</span>}
      </legend>
      <div class="answer-row">
        {ANSWERS.map((a) => (
          <label key={a} class={'answer answer-' + a + (value === a ? ' is-selected' : '')}>
            <input type="radio" name={name} value={a} checked={value === a} onChange={() => onChange(a)} />
            <span>{t(('answer.' + a) as 'answer.yes')}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function Questions({
  instrument,
  answers,
  onAnswer,
  mode,
  onModeChange,
  onBack,
  onFinish,
  busy,
  error,
  notice,
  wording,
  secondary,
  interviewLang,
  saveStatus,
}: Props) {
  const { t } = useI18n<ScreeningKey>();
  const questions = allQuestions(instrument);
  const total = questions.length;
  const answered = questions.filter((q) => answers[q.id]).length;
  const [index, setIndex] = useState(0);
  const current = questions[Math.min(index, total - 1)];
  const groupOf = (q: Question) => instrument.groups.find((g) => g.questions.includes(q));
  const stepRef = useRef<HTMLDivElement>(null);

  // Moving to another question puts focus on it, so a keyboard user answers with the arrows.
  const moved = useRef(false);
  useEffect(() => {
    if (!moved.current) return;
    moved.current = false;
    stepRef.current?.querySelector<HTMLInputElement>('input:checked, input')?.focus();
  }, [index]);
  const go = (i: number) => {
    moved.current = true;
    setIndex(Math.max(0, Math.min(total - 1, i)));
  };

  return (
    <section class="card" aria-labelledby="questions-title" data-testid="screening-questions">
      <div class="card-header">
        <h2 id="questions-title">
          {instrument.title || t('screening.questions.title')}
        </h2>
        <fieldset class="segmented">
          <legend class="visually-hidden">{t('screening.mode')}</legend>
          <label class={mode === 'one' ? 'is-selected' : ''}>
            <input type="radio" name="question-mode" value="one" checked={mode === 'one'} onChange={() => onModeChange('one')} />
            <span>{t('screening.mode.one')}</span>
          </label>
          <label class={mode === 'grouped' ? 'is-selected' : ''}>
            <input
              type="radio"
              name="question-mode"
              value="grouped"
              checked={mode === 'grouped'}
              onChange={() => onModeChange('grouped')}
            />
            <span>{t('screening.mode.grouped')}</span>
          </label>
        </fieldset>
      </div>

      {instrument.intro && <p class="muted">{instrument.intro}</p>}
      {wording && wording.length > 0 && (
        <p class="muted" data-testid="question-wording">
          {wording.join(' ')}
        </p>
      )}
      {notice && <p class="notice notice-info">{notice}</p>}
      <p class="progress-line">
        <span>{t('screening.answered', { n: answered, total })}</span>
        <progress max={total} value={answered} aria-label={t('screening.answered', { n: answered, total })} />
      </p>

      {mode === 'one' && current && (
        <div class="one-question" ref={stepRef}>
          <p class="muted step-label" aria-live="polite">
            {t('screening.progress', { n: index + 1, total })}
            {groupOf(current) && groupOf(current)!.title !== instrument.title && <> · {groupOf(current)!.title}</>}
          </p>
          <AnswerChoice
            key={current.id}
            question={current}
            value={answers[current.id]}
            onChange={(a) => onAnswer(current.id, a)}
            large
            secondary={secondary?.[current.id]}
            interviewLang={interviewLang}
          />
          {groupOf(current)?.id === 'sensitive' && groupOf(current)?.description && (
            <p class="notice notice-info interviewer-note" data-testid="sensitive-note">
              {groupOf(current)!.description}
            </p>
          )}
          <div class="form-actions form-actions-split">
            <button type="button" class="button" onClick={() => go(index - 1)} disabled={index === 0}>
              <span aria-hidden="true" class="dir-arrow">
                ‹
              </span>{' '}
              {t('screening.previous')}
            </button>
            {index < total - 1 ? (
              <button type="button" class="button button-primary" onClick={() => go(index + 1)}>
                {t('screening.next')}{' '}
                <span aria-hidden="true" class="dir-arrow">
                  ›
                </span>
              </button>
            ) : (
              <button type="button" class="button button-primary" onClick={onFinish} disabled={busy}>
                {busy ? t('screening.submitting') : t('screening.finish')}
              </button>
            )}
          </div>
        </div>
      )}

      {mode === 'grouped' && (
        <div class="grouped-questions">
          {instrument.groups.map((g) => (
            <section key={g.id} class="question-group" aria-labelledby={'group-' + g.id}>
              <h3 id={'group-' + g.id}>{g.title}</h3>
              {g.description && <p class={g.id === 'sensitive' ? 'notice notice-info interviewer-note' : 'muted'}>{g.description}</p>}
              {g.questions.map((q) => (
                <AnswerChoice
                  key={q.id}
                  question={q}
                  value={answers[q.id]}
                  onChange={(a) => onAnswer(q.id, a)}
                  secondary={secondary?.[q.id]}
                  interviewLang={interviewLang}
                />
              ))}
            </section>
          ))}
        </div>
      )}

      <p class="hint">{t('screening.unanswered_note')}</p>
      {saveStatus}
      {error && (
        <p class="notice notice-error" role="alert">
          {t('common.error', { message: error })}
        </p>
      )}
      <div class="form-actions form-actions-split">
        <button type="button" class="button button-quiet" onClick={onBack}>
          {t('screening.back_to_setup')}
        </button>
        {(mode === 'grouped' || index === total - 1) ? null : (
          <button type="button" class="button" onClick={onFinish} disabled={busy}>
            {busy ? t('screening.submitting') : t('screening.finish')}
          </button>
        )}
        {mode === 'grouped' && (
          <button type="button" class="button button-primary" onClick={onFinish} disabled={busy}>
            {busy ? t('screening.submitting') : t('screening.finish')}
          </button>
        )}
      </div>
    </section>
  );
}
