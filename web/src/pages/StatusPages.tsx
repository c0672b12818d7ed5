import { useI18n } from '../i18n';

export function NotPermittedPage({ role }: { role: string }) {
  const { t, tid } = useI18n();
  return (
    <section class="page" data-testid="not-permitted">
      <h1>{t('page.not_permitted.title')}</h1>
      <p class="notice notice-warning" role="alert">
        {t('page.not_permitted.body', { role: tid('role', role) })}
      </p>
    </section>
  );
}

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <section class="page">
      <h1>{t('page.not_found.title')}</h1>
      <p>{t('page.not_found.body')}</p>
    </section>
  );
}
