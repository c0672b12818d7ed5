// Correcting a recorded screening's answers (issue #8 item 8): the changed answers and why, sent
// to POST /screenings/{id}/corrections; the server evaluates again and keeps the previous answers
// in the history shown below.
import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { ScreeningView } from '../../api/types';
import type { ScreeningKey } from './messages';
import { useI18n } from '../../i18n';
import { ANSWERS, type Answer } from './model';

export function Correction({
  view,
  texts,
  onCorrected,
}: {
  view: ScreeningView;
  texts?: Record<string, string>;
  onCorrected: (view: ScreeningView) => void;
}) {
  const { t, tid, lang } = useI18n<ScreeningKey>();
  const recorded = (view.screening.answers ?? {}) as Record<string, Answer>;
  const [changes, setChanges] = useState<Record<string, Answer>>({});
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const changed = Object.entries(changes).filter(([id, a]) => (recorded[id] ?? 'unknown') !== a);

  async function submit(e: Event) {
    e.preventDefault();
    if (changed.length === 0 || !reason.trim()) return;
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post('/screenings/{id}/corrections', {
        path: { id: view.screening.id },
        body: { answers: Object.fromEntries(changed), reason: reason.trim() },
      });
      setChanges({});
      setReason('');
      onCorrected(answer);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  const corrections = view.corrections ?? [];
  return (
    <details class="result-section correction no-print" data-testid="result-correction">
      <summary>{t('correct.title')}</summary>
      <form onSubmit={submit} class="form-grid">
        <ul class="correction-list">
          {Object.keys(recorded).map((id) => (
            <li key={id}>
              <label for={'correct-' + id}>{texts?.[id] ?? id}</label>
              <select
                id={'correct-' + id}
                value={changes[id] ?? recorded[id]}
                onChange={(ev) => setChanges((c) => ({ ...c, [id]: (ev.currentTarget as HTMLSelectElement).value as Answer }))}
              >
                {ANSWERS.map((a) => (
                  <option key={a} value={a}>
                    {tid('answer', a)}
                  </option>
                ))}
              </select>
            </li>
          ))}
        </ul>
        <div class="field">
          <label for="correct-reason">{t('correct.reason')}</label>
          <input id="correct-reason" maxLength={500} value={reason} onInput={(ev) => setReason((ev.currentTarget as HTMLInputElement).value)} />
        </div>
        {error && (
          <p class="notice notice-error" role="alert">
            {t('common.error', { message: error })}
          </p>
        )}
        <div class="form-actions">
          <button type="submit" class="button" disabled={busy || changed.length === 0 || !reason.trim()}>
            {t('correct.submit', { n: changed.length })}
          </button>
        </div>
      </form>
      {corrections.length > 0 && (
        <>
          <h4>{t('correct.history')}</h4>
          <ol class="correction-history" data-testid="correction-history">
            {corrections.map((c) => (
              <li key={c.id}>
                <span dir="ltr">{new Date(c.corrected_at).toLocaleString(lang)}</span> · {c.corrected_by} · {c.reason} ·{' '}
                {tid('outcome', c.previous_outcome)} → {tid('outcome', c.outcome)}
              </li>
            ))}
          </ol>
        </>
      )}
    </details>
  );
}
