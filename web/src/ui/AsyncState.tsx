// What a person sees while something loads, when it failed (with a retry), and then the thing.
import type { ComponentChildren } from 'preact';
import { useI18n } from '../i18n';
import type { Resource } from './useResource';

export function ErrorNotice({ error, onRetry }: { error: Error | string; onRetry?: () => void }) {
  const { t } = useI18n();
  return (
    <p class="notice notice-error" role="alert">
      {t('common.error', { message: typeof error === 'string' ? error : error.message })}
      {onRetry && (
        <>
          {' '}
          <button type="button" class="button button-small" onClick={onRetry}>
            {t('common.retry')}
          </button>
        </>
      )}
    </p>
  );
}

export function AsyncState<T>({
  resource,
  children,
}: {
  resource: Resource<T>;
  children: (data: T) => ComponentChildren;
}) {
  const { t } = useI18n();
  if (resource.data === undefined) {
    if (resource.error) return <ErrorNotice error={resource.error} onRetry={resource.reload} />;
    return <p role="status">{t('common.loading')}</p>;
  }
  // A failed reload keeps what was shown, with the error above it.
  return (
    <>
      {resource.error && <ErrorNotice error={resource.error} onRetry={resource.reload} />}
      {children(resource.data)}
    </>
  );
}
