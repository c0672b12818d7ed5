import { useI18n } from '../i18n';
import type { PageProps } from './types';

/** The page of a capability whose issue is not done yet. */
export function ComingPage({ capability }: PageProps) {
  const { t, lang } = useI18n();
  return (
    <section class="page" data-testid="coming">
      <h1>{t('page.coming.title', { name: capability.label[lang] })}</h1>
      <p class="lead">{capability.description[lang]}</p>
      <p class="notice notice-info">{t('page.coming.body')}</p>
    </section>
  );
}
