import { useI18n } from '../i18n';
import type { Capability } from '../shell/capabilities';

/** The page of a capability whose issue is not done yet. */
export function ComingPage({ capability }: { capability: Capability }) {
  const { t } = useI18n();
  return (
    <section class="page" data-testid="coming">
      <h1>{t('page.coming.title', { name: t(capability.nav) })}</h1>
      <p class="lead">{t(capability.description)}</p>
      <p class="notice notice-info">{t('page.coming.body')}</p>
    </section>
  );
}
