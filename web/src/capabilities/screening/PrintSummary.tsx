// The printed summary of a recorded screening (issue #8 item 8): hidden on screen, the only
// thing printed (styles.css, @media print). Person reference, date, place, interviewer,
// interpreter, consent and danger check, the answers in the interview's and the interface's
// languages, the action, the outcome, the referrals and a signature line. The same content as
// the PDF summary (GET /screenings/{id}/summary.pdf), which is rendered by the server.
import type { ScreeningKey } from './messages';
import { translate, translateId, useI18n, type Lang } from '../../i18n';
import type { NextAction, ScreeningRecord } from './model';

export interface QuestionTexts {
  /** In the interview's language. */
  primary: Record<string, string>;
  /** In the interface's language. */
  secondary: Record<string, string>;
}

export function PrintSummary({ record, action, texts }: { record: ScreeningRecord; action: NextAction; texts?: QuestionTexts }) {
  const { t, tid, lang } = useI18n<ScreeningKey>();
  const view = record.view;
  if (!view) return null;
  const s = view.screening;
  const interviewLang = s.language as Lang;
  const both = interviewLang !== lang;
  // A label in the interface language, followed by the interview's when it differs.
  const label = (key: ScreeningKey) => (both ? `${t(key)} / ${translate(interviewLang, key)}` : t(key));
  const labelId = (prefix: string, id: string) =>
    both ? `${tid(prefix, id)} / ${translateId(interviewLang, prefix, id)}` : tid(prefix, id);
  const iv = s.interview;
  // In the order the instrument asks them (then any the instrument no longer has).
  const recorded = s.answers ?? {};
  const order = Object.keys(texts?.primary ?? {}).filter((id) => id in recorded);
  const answers = [...order, ...Object.keys(recorded).filter((id) => !order.includes(id))].map((id) => [id, recorded[id]] as const);
  return (
    <section class="print-summary" data-testid="print-summary" aria-hidden="true">
      <h1>
        {label('print.title')} <span dir="ltr">#{s.id}</span>
      </h1>
      <table class="print-facts">
        <tbody>
          <tr>
            <th>{label('screening.person_ref')}</th>
            <td dir="ltr" data-print="reference">
              {s.person.reference}
            </td>
          </tr>
          <tr>
            <th>{label('screening.date')}</th>
            <td dir="ltr">{s.encounter.date}</td>
          </tr>
          {iv?.place && (
            <tr>
              <th>{label('screening.place')}</th>
              <td>{iv.place}</td>
            </tr>
          )}
          <tr>
            <th>{label('screening.source')}</th>
            <td>{labelId('source', s.encounter.source)}</td>
          </tr>
          <tr>
            <th>{label('print.interviewer')}</th>
            <td dir="ltr" data-print="interviewer">
              {s.interviewer}
            </td>
          </tr>
          <tr>
            <th>{label('screening.language')}</th>
            <td>
              {interviewLang}
              {iv && ` · ${t('screening.interface_language')}: ${iv.interface_language}`}
            </td>
          </tr>
          <tr>
            <th>{label('print.interpreter')}</th>
            <td data-print="interpreter">
              {s.interpreter_used ? t('answer.yes') : t('answer.no')}
              {iv?.interpreter_language && ` (${iv.interpreter_language})`}
            </td>
          </tr>
          {iv && (
            <tr>
              <th>{label('print.consent')}</th>
              <td>
                {iv.consent.kind === 'assent' ? t('consent.given_assent') : t('consent.given')} ·{' '}
                {t('safety.someone_waiting')}: {tid('safety.answer', iv.safety.someone_waiting)} · {t('safety.family_at_risk')}:{' '}
                {tid('safety.answer', iv.safety.family_at_risk)}
              </td>
            </tr>
          )}
          <tr>
            <th>{label('result.action')}</th>
            <td data-print="action">{labelId('action', action)}</td>
          </tr>
          <tr>
            <th>{label('result.outcome')}</th>
            <td data-print="outcome">{labelId('outcome', record.result.outcome)}</td>
          </tr>
          {view.case && (
            <tr>
              <th>{label('print.case')}</th>
              <td dir="ltr">#{view.case.id}</td>
            </tr>
          )}
        </tbody>
      </table>

      <h2>{label('print.answers')}</h2>
      <table class="print-answers">
        <tbody>
          {answers.map(([id, a]) => (
            <tr key={id}>
              <td>
                <span lang={interviewLang}>{texts?.primary[id] ?? id}</span>
                {both && texts?.secondary[id] && <span class="question-secondary">{texts.secondary[id]}</span>}
              </td>
              <td>{labelId('answer', a)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{label('result.referrals')}</h2>
      {view.referrals.length === 0 ? (
        <p>–</p>
      ) : (
        <ul data-print="referrals">
          {view.referrals.map((r) => (
            <li key={r.id}>
              {labelId('referral', r.kind)} — {tid('referral_status', r.status)}
            </li>
          ))}
        </ul>
      )}
      {(view.corrections?.length ?? 0) > 0 && (
        <>
          <h2>{label('correct.history')}</h2>
          <ul>
            {view.corrections!.map((c) => (
              <li key={c.id}>
                {c.corrected_at.slice(0, 10)} · {c.corrected_by} · {c.reason}
              </li>
            ))}
          </ul>
        </>
      )}
      <p class="print-note">{t('result.note')}</p>
      <div class="signature-lines" data-print="signature">
        <p>{label('print.signature_interviewer')}: ______________________________</p>
        <p>{label('print.signature_date')}: ______________</p>
      </div>
    </section>
  );
}
