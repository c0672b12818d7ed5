// Step 3: the result in plain words: the outcome, what it could become and what to ask next,
// why (per dimension), the rule that applied, and the referrals, each recorded with
// POST /screenings/{id}/referrals when its button is pressed.
import { useEffect, useRef, useState } from 'preact/hooks';
import { post } from '../api/client';
import { useI18n } from '../i18n';
import { outcomeTone, referralKinds, type ScreeningRecord } from './shapes';

interface Props {
  record: ScreeningRecord;
  mayRefer: boolean;
  onNew: () => void;
}

type ReferralState = { state: 'idle' } | { state: 'busy' } | { state: 'done' } | { state: 'failed'; message: string };

export function ResultView({ record, mayRefer, onNew }: Props) {
  const { t, tid } = useI18n();
  const { result } = record;
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);

  const initial: Record<string, ReferralState> = {};
  for (const k of record.referralsMade) initial[k] = { state: 'done' };
  const [referrals, setReferrals] = useState<Record<string, ReferralState>>(initial);
  const kinds = referralKinds(result);

  async function refer(kind: string) {
    if (!record.screeningId) return;
    setReferrals((r) => ({ ...r, [kind]: { state: 'busy' } }));
    try {
      await post(`/screenings/${encodeURIComponent(record.screeningId)}/referrals`, { kind });
      setReferrals((r) => ({ ...r, [kind]: { state: 'done' } }));
    } catch (e) {
      setReferrals((r) => ({ ...r, [kind]: { state: 'failed', message: e instanceof Error ? e.message : String(e) } }));
    }
  }

  const outcomeText = (id: string, label?: string) => {
    const translated = tid('outcome', id);
    return translated === id.replace(/[_-]+/g, ' ') && label ? label : translated;
  };
  const tone = outcomeTone(result.outcome);

  return (
    <section class="card result" aria-labelledby="result-title" data-testid="screening-result">
      <h2 id="result-title" ref={headingRef} tabIndex={-1}>
        {t('result.title')}
      </h2>

      <div class={'outcome outcome-' + tone} data-testid="result-outcome" data-outcome={result.outcome}>
        <span class="outcome-label">{t('result.outcome')}</span>
        <strong class="outcome-value">{outcomeText(result.outcome, result.outcomeLabel)}</strong>
        {result.summary && <p class="outcome-summary">{result.summary}</p>}
      </div>

      <p class="muted" data-testid="result-stored">
        {record.screeningId ? t('result.stored', { id: record.screeningId }) : t('result.not_stored')}
        {record.caseId && <> {t('result.case', { id: record.caseId })}</>}
      </p>

      {result.couldBecome && (
        <section class="result-section" aria-labelledby="could-become-title" data-testid="result-could-become">
          <h3 id="could-become-title">{t('result.could_become')}</h3>
          <p>{t('result.could_become_intro', { outcome: outcomeText(result.couldBecome, result.couldBecomeLabel) })}</p>
          {result.nextQuestions.length > 0 && (
            <>
              <h4>{t('result.next_questions')}</h4>
              <ul class="next-questions">
                {result.nextQuestions.map((q) => (
                  <li key={q.id}>{q.text}</li>
                ))}
              </ul>
            </>
          )}
        </section>
      )}

      {result.dimensions.length > 0 && (
        <section class="result-section" aria-labelledby="dimensions-title" data-testid="result-explanation">
          <h3 id="dimensions-title">{t('result.dimensions')}</h3>
          <ul class="dimensions">
            {result.dimensions.map((d) => (
              <li key={d.id} class={d.met === true ? 'dimension is-met' : 'dimension'}>
                <div class="dimension-head">
                  <span class="dimension-title">{d.title}</span>
                  {d.met !== undefined ? (
                    <span class={d.met ? 'badge badge-warn' : 'badge badge-muted'}>
                      {d.met ? t('result.dimension.met') : t('result.dimension.not_met')}
                    </span>
                  ) : (
                    d.status && <span class="badge badge-muted">{d.status.replace(/_/g, ' ')}</span>
                  )}
                </div>
                {d.explanation && <p class="dimension-text">{d.explanation}</p>}
                {d.indicators.length > 0 && (
                  <ul class="indicators" aria-label={t('result.indicators')}>
                    {d.indicators.map((ind) => (
                      <li key={ind.id}>
                        {ind.text}
                        {ind.strength && (
                          <span class="muted"> ({tid('result.strength', ind.strength)})</span>
                        )}
                        {ind.answer && <span class="muted"> · {tid('answer', ind.answer)}</span>}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}

      {result.rule && (result.rule.id || result.rule.text || result.rule.version) && (
        <section class="result-section" aria-labelledby="rule-title" data-testid="result-rule">
          <h3 id="rule-title">{t('result.rule')}</h3>
          {result.rule.text && <p>{result.rule.text}</p>}
          <p class="muted">
            {result.rule.id && (
              <code dir="ltr" class="rule-id">
                {result.rule.id}
              </code>
            )}
            {result.rule.id && result.rule.version && ' · '}
            {result.rule.version && t('result.rule_version', { version: result.rule.version })}
          </p>
        </section>
      )}

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

      <div class="form-actions">
        <button type="button" class="button button-primary" onClick={onNew}>
          {t('result.new')}
        </button>
      </div>
    </section>
  );
}
