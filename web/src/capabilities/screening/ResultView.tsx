// Step 3: the result in plain words: the outcome, what it could become and what to ask next,
// why (per dimension), the rule that applied, the next step, and the referrals, each recorded
// with POST /screenings/{id}/referrals when its button is pressed.
//
// The server explains in English; in another language the page says the same from the
// result's structure (positive or not, counts, clause ids), with texts of the instrument in the
// interface language (`texts`), and offers the English sentences under a disclosure.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { Outcome, Profile, ReferralKind } from '../../api/types';
import type { ScreeningKey } from './messages';
import { useI18n } from '../../i18n';
import type { ScreeningView } from '../../api/types';
import { API_BASE } from '../../api/client';
import { Correction } from './Correction';
import { PrintSummary, type QuestionTexts } from './PrintSummary';
import { actionOf, outcomeTone, type DimensionExplanation, type InstrumentTexts, type ScreeningRecord } from './model';

interface Props {
  record: ScreeningRecord;
  mayRefer: boolean;
  mayCorrect?: boolean;
  mayExport?: boolean;
  /** Dimension titles and question texts in the interface language, when loaded. */
  texts?: InstrumentTexts;
  /** The recorded answers' question texts in both languages (print, corrections). */
  questionTexts?: QuestionTexts;
  onNew: () => void;
  /** Starts the full interview of a profile (after the first-contact screener). */
  onFullInterview?: (profile: Profile) => void;
  onCorrected?: (view: ScreeningView) => void;
}

/** Kinds offered when the action is to refer now but the outcome recommended none: protection. */
const PROTECTION: ReferralKind[] = ['shelter', 'medical_care', 'legal_aid'];

/** The questions to ask next shown at once; the rest behind a disclosure. */
const ASK_NEXT_SHOWN = 5;

type ReferralState = { state: 'idle' } | { state: 'busy' } | { state: 'done' } | { state: 'failed'; message: string };

function Dimension({ d, texts }: { d: DimensionExplanation; texts?: InstrumentTexts }) {
  const { t, tid, lang } = useI18n<ScreeningKey>();
  const title = texts?.dimensions[d.id] ?? d.title;
  const badge =
    d.met === true ? (
      <span class="badge badge-warn">{t('result.dimension.met')}</span>
    ) : d.couldBeMet ? (
      <span class="badge badge-info">{t('result.dimension.could')}</span>
    ) : d.met === false ? (
      <span class="badge badge-muted">{t('result.dimension.not_met')}</span>
    ) : null;
  const unanswered = d.unanswered ? d.unanswered.strong + d.unanswered.medium + d.unanswered.weak : 0;
  return (
    <li class={d.met ? 'dimension is-met' : 'dimension'} data-dimension={d.id}>
      <div class="dimension-head">
        <span class="dimension-title">{title}</span>
        {badge}
      </div>
      <p class="dimension-text">
        {d.counts && t('result.counts', { strong: d.counts.strong, medium: d.counts.medium, weak: d.counts.weak })}
        {unanswered > 0 && <> {t('result.unanswered_count', { n: unanswered })}</>}
        {d.met && d.clause && <> {t('result.dimension.clause', { clause: tid('dclause', d.clause) })}</>}
        {!d.met && d.couldBeMet && d.couldClause && (
          <> {t('result.dimension.could_clause', { clause: tid('dclause', d.couldClause) })}</>
        )}
      </p>
      {lang === 'en' && d.explanation && <p class="dimension-text muted">{d.explanation}</p>}
      {d.indicators.length > 0 && (
        <>
          <p class="indicators-heading">{t('result.answered_yes')}</p>
          <ul class="indicators">
            {d.indicators.map((ind) => (
              <li key={ind.id}>
                {texts?.questions[ind.id] ?? ind.text}
                {ind.strength && <span class="muted"> ({tid('result.strength', ind.strength)})</span>}
              </li>
            ))}
          </ul>
        </>
      )}
    </li>
  );
}

export function ResultView({
  record,
  mayRefer,
  mayCorrect,
  mayExport,
  texts,
  questionTexts,
  onNew,
  onFullInterview,
  onCorrected,
}: Props) {
  const { t, tid, lang } = useI18n<ScreeningKey>();
  const { result } = record;
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);

  const initial: Record<string, ReferralState> = {};
  for (const k of record.referralsMade) initial[k] = { state: 'done' };
  const [referrals, setReferrals] = useState<Record<string, ReferralState>>(initial);
  const action = actionOf(result, record.answers, record.urgent);
  const kinds = result.referrals.length > 0 || action !== 'refer_now' || !record.screeningId ? result.referrals : PROTECTION;

  async function refer(kind: ReferralKind) {
    const id = record.screeningId;
    if (!id) return;
    setReferrals((r) => ({ ...r, [kind]: { state: 'busy' } }));
    try {
      await api.post('/screenings/{id}/referrals', { path: { id }, body: { kind } });
      setReferrals((r) => ({ ...r, [kind]: { state: 'done' } }));
    } catch (e) {
      setReferrals((r) => ({ ...r, [kind]: { state: 'failed', message: e instanceof Error ? e.message : String(e) } }));
    }
  }

  const outcomeText = (id: Outcome) => tid('outcome', id);
  const dimensionTitle = (id: string) =>
    texts?.dimensions[id] ?? result.dimensions.find((d) => d.id === id)?.title ?? id.replace(/_/g, ' ');
  // Only "no further action" may be shown in green (issue #8 item 1).
  const outcomeToneRaw = outcomeTone(result.outcome);
  const tone = outcomeToneRaw === 'calm' && action !== 'no_further_action' ? 'neutral' : outcomeToneRaw;
  const rule = result.rule;
  const ruleText = rule?.id ? tid('cclause', rule.id) : undefined;
  const ruleTextShown = ruleText && ruleText !== rule?.id?.replace(/[_-]+/g, ' ') ? ruleText : rule?.text;
  const ageText = rule?.ageClause ? tid('age', rule.ageClause) : undefined;
  const ageTextShown = ageText && ageText !== rule?.ageClause?.replace(/[_-]+/g, ' ') ? ageText : rule?.reason;
  const step = result.nextStep;
  const fullInterview = step?.action === 'full_interview' && step.profile ? step.profile : undefined;
  // The full interview to complete (the screener's routed profile).
  const fullInterviewProfile = fullInterview ?? (record.view?.screening.instrument === 'screener' ? result.profile : undefined);

  return (
    <section class="card result" aria-labelledby="result-title" data-testid="screening-result">
      <h2 id="result-title" ref={headingRef} tabIndex={-1}>
        {t('result.title')}
      </h2>

      <div class={'action action-' + action} data-testid="result-action" data-action={action}>
        <span class="action-label">{t('result.action')}</span>
        <strong class="action-value">{tid('action', action)}</strong>
        <p>{tid('action_text', action)}</p>
        {record.urgent && <p data-testid="result-urgent">{t('result.urgent')}</p>}
        {result.actionReasons.length > 0 && (
          <ul class="action-reasons">
            {result.actionReasons.map((r) => (
              <li key={r.indicator}>
                {texts?.questions[r.indicator] ?? r.indicator}
                {lang === 'en' && r.reason && <span class="muted"> — {r.reason}</span>}
              </li>
            ))}
          </ul>
        )}
        {record.caseId && (
          <p class="action-case">
            <a href={`#/cases?case=${record.caseId}`} data-testid="result-case-link">
              {t('result.case', { id: record.caseId })}
            </a>
          </p>
        )}
        {action === 'complete_interview' && fullInterviewProfile && onFullInterview && (
          <button type="button" class="button button-primary" onClick={() => onFullInterview(fullInterviewProfile)}>
            {t('result.start_full')}
          </button>
        )}
      </div>

      {kinds.length > 0 && (
        <section class="result-section" aria-labelledby="referrals-title" data-testid="result-referrals">
          <h3 id="referrals-title">{t('result.referrals')}</h3>
          <p class="muted">
            {record.screeningId && mayRefer ? t('result.referrals_intro') : t('result.referrals_need_record')}
          </p>
          <ul class="referrals">
            {kinds.map((kind) => {
              const st = referrals[kind] ?? { state: 'idle' };
              return (
                <li key={kind}>
                  <button
                    type="button"
                    class={st.state === 'done' ? 'button referral is-done' : 'button referral'}
                    data-referral={kind}
                    disabled={!record.screeningId || !mayRefer || st.state === 'busy' || st.state === 'done'}
                    onClick={() => void refer(kind)}
                  >
                    {st.state === 'done' && (
                      <span aria-hidden="true" class="check">
                        ✓{' '}
                      </span>
                    )}
                    {tid('referral', kind)}
                    {st.state === 'done' && <span class="visually-hidden"> ({t('result.referral_done')})</span>}
                  </button>
                  {st.state === 'failed' && (
                    <p class="field-error" role="alert">
                      {t('result.referral_failed', { message: st.message })}
                    </p>
                  )}
                </li>
              );
            })}
          </ul>
          <p class="visually-hidden" role="status">
            {Object.entries(referrals)
              .filter(([, s]) => s.state === 'done')
              .map(([k]) => t('result.referral_done') + ': ' + tid('referral', k))
              .join('. ')}
          </p>
        </section>
      )}


      <div class={'outcome outcome-' + tone} data-testid="result-outcome" data-outcome={result.outcome}>
        <span class="outcome-label">{t('result.outcome')}</span>
        <strong class="outcome-value">{outcomeText(result.outcome)}</strong>
      </div>
      <p class="muted small">{t('result.note')}</p>

      <p class="muted" data-testid="result-stored">
        {record.screeningId ? t('result.stored', { id: record.screeningId }) : t('result.not_stored')}
        {record.caseId && <> {t('result.case', { id: record.caseId })}</>}
      </p>

      {result.couldBecome && (
        <section class="result-section" aria-labelledby="could-become-title" data-testid="result-could-become">
          <h3 id="could-become-title">{t('result.could_become')}</h3>
          <p>{t('result.could_become_intro', { outcome: outcomeText(result.couldBecome) })}</p>
          {result.nextQuestions.length > 0 && (
            <>
              <h4>{t('result.next_questions')}</h4>
              <ul class="next-questions">
                {result.nextQuestions.slice(0, ASK_NEXT_SHOWN).map((q) => (
                  <li key={q.id}>
                    {texts?.questions[q.id] ?? q.text}
                    {q.dimension && <span class="muted"> · {dimensionTitle(q.dimension)}</span>}
                  </li>
                ))}
              </ul>
              {result.nextQuestions.length > ASK_NEXT_SHOWN && (
                <details class="more-questions">
                  <summary>{t('result.show_all_questions', { n: result.nextQuestions.length })}</summary>
                  <ul class="next-questions">
                    {result.nextQuestions.slice(ASK_NEXT_SHOWN).map((q) => (
                      <li key={q.id}>
                        {texts?.questions[q.id] ?? q.text}
                        {q.dimension && <span class="muted"> · {dimensionTitle(q.dimension)}</span>}
                      </li>
                    ))}
                  </ul>
                </details>
              )}
            </>
          )}
        </section>
      )}

      {fullInterview && (
        <section class="result-section" aria-labelledby="next-step-title" data-testid="result-next-step">
          <h3 id="next-step-title">{t('result.next_step')}</h3>
          <p>{t('result.full_interview', { profile: tid('profile', fullInterview) })}</p>
          {step && step.explore.length > 0 && (
            <p>{t('result.unexplored', { dimensions: step.explore.map(dimensionTitle).join(lang === 'ar' ? '، ' : ', ') })}</p>
          )}
          {step && step.alsoConsider.length > 0 && (
            <p>
              {t('result.also_consider', {
                profiles: step.alsoConsider.map((p) => tid('profile', p)).join(lang === 'ar' ? '، ' : ', '),
              })}
            </p>
          )}
          {onFullInterview && action !== 'complete_interview' && (
            <button type="button" class="button" onClick={() => onFullInterview(fullInterview)}>
              {t('result.start_full')}
            </button>
          )}
        </section>
      )}

      {result.dimensions.length > 0 && (
        <section class="result-section" aria-labelledby="dimensions-title" data-testid="result-explanation">
          <h3 id="dimensions-title">{t('result.dimensions')}</h3>
          <ul class="dimensions">
            {result.dimensions.map((d) => (
              <Dimension key={d.id} d={d} texts={texts} />
            ))}
          </ul>
          {!fullInterview && result.unexplored.length > 0 && (
            <p class="muted">
              {t('result.unexplored', { dimensions: result.unexplored.map(dimensionTitle).join(lang === 'ar' ? '، ' : ', ') })}
            </p>
          )}
        </section>
      )}

      {rule && (
        <section class="result-section" aria-labelledby="rule-title" data-testid="result-rule">
          <h3 id="rule-title">{t('result.rule')}</h3>
          {ruleTextShown && <p>{ruleTextShown}</p>}
          {ageTextShown && <p>{ageTextShown}</p>}
          <p class="muted">
            {rule.id && (
              <code dir="ltr" class="rule-id">
                {rule.id}
              </code>
            )}
            {rule.id && rule.version && ' · '}
            {rule.version && t('result.rule_version', { version: rule.version })}
          </p>
        </section>
      )}

      {lang !== 'en' && result.summary && (
        <details class="result-section english">
          <summary>{t('result.explanation_en')}</summary>
          <p lang="en" dir="ltr">
            {result.summary}
          </p>
        </details>
      )}
      {lang === 'en' && result.summary && (
        <section class="result-section" aria-labelledby="summary-title">
          <h3 id="summary-title">{t('result.summary')}</h3>
          <p>{result.summary}</p>
        </section>
      )}

      {record.view && mayCorrect && onCorrected && (
        <Correction view={record.view} texts={questionTexts?.secondary} onCorrected={onCorrected} />
      )}

      <div class="form-actions no-print">
        {record.view && (
          <button type="button" class="button" onClick={() => window.print()} data-testid="print">
            {t('result.print')}
          </button>
        )}
        {record.view && mayExport && (
          <a
            class="button"
            href={`${API_BASE}/screenings/${record.view.screening.id}/summary.pdf?lang=${lang}`}
            download={`screening-${record.view.screening.id}.pdf`}
            data-testid="export-pdf"
          >
            {t('result.export_pdf')}
          </a>
        )}
        <button type="button" class="button button-primary" onClick={onNew}>
          {t('result.new')}
        </button>
      </div>
      {record.view && <PrintSummary record={record} action={action} texts={questionTexts} />}
    </section>
  );
}
