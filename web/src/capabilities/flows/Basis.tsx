// What a figure rests on: the records the filters kept, and how many of them it could not use
// (a country, a year or a category unknown). Every panel says it (issue #9 item 2).
import { useI18n } from '../../i18n';
import type { FlowKey } from './messages';

export function Basis({ records, unknown, what, testId }: { records: number; unknown: number; what: FlowKey; testId?: string }) {
  const { t } = useI18n<FlowKey>();
  return (
    <p class="muted flows-basis" data-testid={testId}>
      {t('flows.basis.records', { n: records })} {t(what, { n: unknown })}
    </p>
  );
}
