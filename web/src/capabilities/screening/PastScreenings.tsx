// The organisation's open drafts and recent screenings (issue #8 item 8): a draft is resumed
// where it was left; a screening is reopened (result, referrals, print, corrections, the full
// interview after a screener).
import { api } from '../../api/client';
import type { ScreeningKey } from './messages';
import { useI18n } from '../../i18n';
import { ErrorNotice, useResource } from '../../ui';

export function PastScreenings({ onResume, onReopen }: { onResume: (draftId: number) => void; onReopen: (screeningId: number) => void }) {
  const { t, tid } = useI18n<ScreeningKey>();
  const drafts = useResource(() => api.get('/screenings/drafts', { query: { limit: 20 } }), []);
  const screenings = useResource(() => api.get('/screenings', { query: { limit: 20 } }), []);
  return (
    <section class="card" aria-labelledby="past-title" data-testid="past-screenings">
      <h2 id="past-title">{t('past.title')}</h2>
      {drafts.error && <ErrorNotice error={drafts.error} onRetry={drafts.reload} />}
      {drafts.data && drafts.data.drafts.length > 0 && (
        <>
          <h3>{t('past.drafts')}</h3>
          <ul class="past-list" data-testid="draft-list">
            {drafts.data.drafts.map((d) => (
              <li key={d.id}>
                <button type="button" class="button button-quiet" onClick={() => onResume(d.id)} data-draft={d.id}>
                  <span dir="ltr">{d.reference || '—'}</span> · {t('past.draft_step', { step: tid('step', d.step), n: d.answered })}
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      {screenings.error && <ErrorNotice error={screenings.error} onRetry={screenings.reload} />}
      {screenings.data && (
        <>
          <h3>{t('past.screenings')}</h3>
          {screenings.data.screenings.length === 0 ? (
            <p class="muted">{t('past.none')}</p>
          ) : (
            <ul class="past-list" data-testid="screening-list">
              {screenings.data.screenings.map((s) => (
                <li key={s.id}>
                  <button type="button" class="button button-quiet" onClick={() => onReopen(s.id)} data-screening={s.id}>
                    <span dir="ltr">
                      #{s.id} {s.person.reference}
                    </span>{' '}
                    · <span dir="ltr">{s.encounter.date}</span> · {tid('outcome', s.outcome)}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
