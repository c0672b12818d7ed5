// What the page shows before any flows data is imported: how to import it.
import { useI18n } from '../../i18n';
import type { FlowKey } from './messages';

export function EmptyState() {
  const { t } = useI18n<FlowKey>();
  return (
    <section class="card" aria-labelledby="flows-empty-title" data-testid="flows-empty">
      <h2 id="flows-empty-title">{t('flows.empty.title')}</h2>
      <p>{t('flows.empty.body')}</p>
      <pre class="flows-command" dir="ltr">
        <code>ctip flows import --data DIR --format ctdc FILE</code>
      </pre>
      <p class="muted">{t('flows.empty.formats')}</p>
    </section>
  );
}
