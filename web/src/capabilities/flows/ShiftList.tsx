// What changed between a baseline and a comparison period, and whether the change is real:
// the series flagged as shifts first (after Benjamini–Hochberg control of the false-discovery
// rate), each with the server's one-sentence explanation; then the series without a shift, and
// those with too few records to judge (never shown as "no change"); and the changepoints found
// along the yearly series. The labels and explanations are the server's (in English); dir="auto"
// keeps their punctuation in place on a right-to-left page.
import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import { useI18n } from '../../i18n';
import { AsyncState, useResource } from '../../ui';
import type { FlowKey } from './messages';
import { filterKey, filterParams, type FlowFilter, type FlowShift, type FlowShifts } from './model';

const PERIOD = /^[0-9]{4}-[0-9]{4}$/;

const VERDICT_BADGE: Record<FlowShift['verdict'], string> = {
  shift: 'badge badge-warn',
  no_shift: 'badge badge-ok',
  too_few_records: 'badge badge-muted',
};

export function ShiftList({ filter }: { filter: FlowFilter }) {
  const { t } = useI18n<FlowKey>();
  const [periods, setPeriods] = useState({ baseline: '2017-2019', compare: '2020-2022' });
  const [draft, setDraft] = useState(periods);
  const shifts = useResource(
    () => api.get('/flows/shifts', { query: { ...filterParams(filter), ...periods } }),
    [filterKey(filter), periods.baseline, periods.compare],
  );
  const valid = PERIOD.test(draft.baseline) && PERIOD.test(draft.compare);
  return (
    <section class="card" aria-labelledby="flows-shifts-title" data-testid="flows-shifts">
      <h2 id="flows-shifts-title">{t('flows.shifts.title')}</h2>
      <p class="muted">{t('flows.shifts.intro')}</p>
      <form
        class="flows-periods"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) setPeriods(draft);
        }}
      >
        {(['baseline', 'compare'] as const).map((which) => (
          <div class="field" key={which}>
            <label for={'flows-' + which}>{t(('flows.shifts.' + which) as FlowKey)}</label>
            <input
              id={'flows-' + which}
              type="text"
              dir="ltr"
              inputMode="numeric"
              pattern="[0-9]{4}-[0-9]{4}"
              value={draft[which]}
              aria-describedby="flows-periods-hint"
              onInput={(e) => setDraft({ ...draft, [which]: (e.currentTarget as HTMLInputElement).value.trim() })}
            />
          </div>
        ))}
        <button type="submit" class="button" disabled={!valid}>
          {t('flows.shifts.apply')}
        </button>
        <p id="flows-periods-hint" class="hint">
          {t('flows.shifts.periods_hint')}
        </p>
      </form>
      <AsyncState resource={shifts}>{(s) => <Shifts shifts={s} />}</AsyncState>
    </section>
  );
}

// The longest lists show their first entries, and all on request.
const FIRST_SHIFTS = 10;
const FIRST_CHANGEPOINTS = 8;

function Shifts({ shifts }: { shifts: FlowShifts }) {
  const { t } = useI18n<FlowKey>();
  const [allShifts, setAllShifts] = useState(false);
  const [allChangepoints, setAllChangepoints] = useState(false);
  const flagged = shifts.shifts.filter((s) => s.verdict === 'shift');
  const others = shifts.shifts.filter((s) => s.verdict !== 'shift');
  const tooFew = others.filter((s) => s.verdict === 'too_few_records').length;
  return (
    <>
      <p data-testid="flows-shifts-summary">
        {t('flows.shifts.summary', {
          n: shifts.series,
          tested: shifts.tested,
          flagged: flagged.length,
          baseline: `${shifts.baseline.first_year}–${shifts.baseline.last_year}`,
          compare: `${shifts.compare.first_year}–${shifts.compare.last_year}`,
        })}
      </p>
      {flagged.length > 0 ? (
        <>
          <ShiftItems items={allShifts ? flagged : flagged.slice(0, FIRST_SHIFTS)} testId="flows-shifts-flagged" />
          {flagged.length > FIRST_SHIFTS && (
            <MoreButton all={allShifts} onToggle={() => setAllShifts(!allShifts)} n={flagged.length} what="flows.shifts.all" />
          )}
        </>
      ) : (
        <p class="notice notice-info">{t('flows.shifts.none_flagged')}</p>
      )}
      {others.length > 0 && (
        <details class="data-table">
          <summary>{t('flows.shifts.others', { n: others.length, few: tooFew })}</summary>
          <ShiftItems items={others} testId="flows-shifts-others" />
        </details>
      )}
      <h3>{t('flows.changepoints.title')}</h3>
      {shifts.changepoints.length === 0 ? (
        <p>{t('flows.changepoints.none')}</p>
      ) : (
        <ul class="flows-list" data-testid="flows-changepoints">
          {(allChangepoints ? shifts.changepoints : shifts.changepoints.slice(0, FIRST_CHANGEPOINTS)).map((c) => (
            <li key={c.label + c.year}>
              <span class="badge badge-info" dir="ltr">
                {c.year}
              </span>{' '}
              <span class="flows-explanation" dir="auto">
                {c.explanation}
              </span>
            </li>
          ))}
        </ul>
      )}
      {shifts.changepoints.length > FIRST_CHANGEPOINTS && (
        <MoreButton
          all={allChangepoints}
          onToggle={() => setAllChangepoints(!allChangepoints)}
          n={shifts.changepoints.length}
          what="flows.changepoints.all"
        />
      )}
    </>
  );
}

function MoreButton({ all, onToggle, n, what }: { all: boolean; onToggle: () => void; n: number; what: FlowKey }) {
  const { t } = useI18n<FlowKey>();
  return (
    <div class="form-actions">
      <button type="button" class="button button-small" aria-expanded={all} onClick={onToggle}>
        {all ? t('flows.corridors.fewer') : t(what, { n })}
      </button>
    </div>
  );
}

function ShiftItems({ items, testId }: { items: FlowShift[]; testId: string }) {
  const { t } = useI18n<FlowKey>();
  return (
    <ul class="flows-list" data-testid={testId}>
      {items.map((s) => (
        <li key={s.kind + '|' + s.label} data-verdict={s.verdict}>
          <span class={VERDICT_BADGE[s.verdict]}>{t(('flows.verdict.' + s.verdict) as FlowKey)}</span>{' '}
          <strong dir="auto">{s.label}</strong>
          <p class="flows-explanation" data-testid="shift-explanation" dir="auto">
            {s.explanation}
          </p>
          {s.verdict !== 'too_few_records' && (
            <p class="muted flows-test" dir="ltr">
              {s.test} · p {formatP(s.p_value)} · q {formatP(s.q_value)}
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}

function formatP(p: number | null): string {
  if (p === null) return '–';
  return p < 0.001 ? '< 0.001' : '= ' + p.toFixed(3);
}
