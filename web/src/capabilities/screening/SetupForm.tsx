// Step 1 of a screening: the language, the instrument, and what is known of the person and of
// the encounter. The person reference is a pseudonym; no name is ever asked.
import { useEffect, useState } from 'preact/hooks';
import type { ScreeningKey } from './messages';
import { useI18n } from '../../i18n';
import { LanguagePicker } from '../../shell/LanguagePicker';
import { useMeta } from '../../api/meta';
import { ErrorNotice, Select } from '../../ui';
import { LANGUAGES, LANGUAGE_NAMES } from '../../i18n';
import { SEXES, type ProfileInfo, type ScreeningSetup } from './model';

interface Props {
  setup: ScreeningSetup;
  onChange: (setup: ScreeningSetup) => void;
  /** The interface language changed and the interview's follows it (merged into the latest
   * setup, not this render's: the other fields may have changed since). */
  onFollowLanguage: (lang: ScreeningSetup['lang']) => void;
  onStart: () => void;
  /** Profiles the server offers (GET /screen/profiles), when it answered. */
  profiles: ProfileInfo[];
  recordable: boolean;
}

const NATIONALITY = /^[A-Za-z]{2}$/;
const LANGUAGE_CODE = /^[A-Za-z]{2,3}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
// A reference that reads like a person's name: two or more capitalised words ("Maria Lopez",
// "José da Silva"), or an e-mail address. Only a warning: the server enforces the deployment's
// pattern (by default letters, digits and '-', 4 to 32 characters; issue #7).
const LOOKS_LIKE_NAME = /(^|[\s,.])\p{Lu}\p{Ll}+([\s,.]+(\p{Ll}{1,3}[\s]+)?\p{Lu}\p{Ll}+)+/u;
const EMAIL = /\S+@\S+\.\S+/;

export function looksLikeName(reference: string): boolean {
  const value = reference.trim();
  return LOOKS_LIKE_NAME.test(value) || EMAIL.test(value);
}

export function SetupForm({ setup, onChange, onFollowLanguage, onStart, profiles, recordable }: Props) {
  const { t, tid, lang } = useI18n<ScreeningKey>();
  const [touched, setTouched] = useState(false);
  const set = <K extends keyof ScreeningSetup>(key: K, value: ScreeningSetup[K]) => onChange({ ...setup, [key]: value });
  // The interview's language follows the interface's until the screener chooses another.
  const [interviewLangChosen, setInterviewLangChosen] = useState(setup.interviewLang !== setup.lang);
  useEffect(() => {
    if (!interviewLangChosen && setup.interviewLang !== lang) onFollowLanguage(lang);
  }, [lang]);

  const ageNumber = Number(setup.age);
  const ageInvalid =
    !setup.ageUnknown && (setup.age.trim() === '' || !Number.isInteger(ageNumber) || ageNumber < 0 || ageNumber > 120);
  const nationalityInvalid = setup.nationality.trim() !== '' && !NATIONALITY.test(setup.nationality.trim());
  const interpreterLanguageInvalid = setup.interpreter && !LANGUAGE_CODE.test(setup.interpreterLanguage.trim());
  const today = new Date().toISOString().slice(0, 10);
  const dateInvalid = setup.encounterDate !== '' && (!DATE.test(setup.encounterDate) || setup.encounterDate > today);
  // A recorded screening belongs to a person, named only by the organisation's pseudonym.
  const personRefInvalid = recordable && (setup.personRef.trim() === '' || setup.personRef.trim().length > 64);
  const personRefLooksLikeName = recordable && looksLikeName(setup.personRef);
  // The lists come from the server: the profiles it offers, else (GET /screen/profiles not
  // answered yet) those GET /meta names; the encounter sources from GET /meta.
  const meta = useMeta();
  const profileIds = profiles.length ? profiles.map((p) => p.id) : (meta.data?.profiles ?? []);
  const sources = meta.data?.encounter_sources ?? [];

  function submit(e: Event) {
    e.preventDefault();
    setTouched(true);
    if (ageInvalid || nationalityInvalid || personRefInvalid || interpreterLanguageInvalid || dateInvalid) {
      const first = ageInvalid
        ? 'screening-age'
        : dateInvalid
          ? 'screening-date'
          : interpreterLanguageInvalid
            ? 'screening-interpreter-language'
            : nationalityInvalid
              ? 'screening-nationality'
              : 'screening-person-ref';
      document.getElementById(first)?.focus();
      return;
    }
    onStart();
  }

  return (
    <form class="card form-grid" onSubmit={submit} noValidate aria-labelledby="setup-title" data-testid="screening-setup">
      <h2 id="setup-title">{t('screening.setup.title')}</h2>
      {!recordable && <p class="notice notice-info">{t('screening.evaluate_only')}</p>}

      <div class="field-row">
        <LanguagePicker id="screening-language" label={t('screening.interface_language')} />
        <div class="field field-inline">
          <label for="screening-interview-language">{t('screening.language')}</label>
          <select
            id="screening-interview-language"
            value={setup.interviewLang}
            onChange={(e) => {
              setInterviewLangChosen(true);
              set('interviewLang', (e.currentTarget as HTMLSelectElement).value as ScreeningSetup['interviewLang']);
            }}
          >
            {LANGUAGES.map((l) => (
              <option key={l} value={l} lang={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p class="hint">{t('screening.languages_hint')}</p>

      <fieldset class="field">
        <legend>{t('screening.instrument')}</legend>
        <div class="choice-row">
          <label class="choice">
            <input
              type="radio"
              name="instrument-kind"
              value="screener"
              checked={setup.kind === 'screener'}
              onChange={() => set('kind', 'screener')}
            />
            <span>{t('screening.instrument.screener')}</span>
          </label>
          <label class="choice">
            <input
              type="radio"
              name="instrument-kind"
              value="profile"
              checked={setup.kind === 'profile'}
              onChange={() => set('kind', 'profile')}
            />
            <span>{t('screening.instrument.profile')}</span>
          </label>
        </div>
      </fieldset>

      {setup.kind === 'profile' && (
        <Select
          id="screening-profile"
          label={t('screening.profile')}
          value={setup.profile}
          options={profileIds}
          optionLabel={(id) => tid('profile', id)}
          onChange={(id) => set('profile', id)}
        />
      )}

      <div class="field-row">
        <div class="field">
          <label for="screening-age">{t('screening.age')}</label>
          <input
            id="screening-age"
            type="number"
            inputMode="numeric"
            min={0}
            max={120}
            step={1}
            disabled={setup.ageUnknown}
            aria-invalid={touched && ageInvalid ? true : undefined}
            aria-describedby={touched && ageInvalid ? 'screening-age-error' : undefined}
            value={setup.age}
            onInput={(e) => set('age', (e.currentTarget as HTMLInputElement).value)}
          />
          {touched && ageInvalid && (
            <p id="screening-age-error" class="field-error">
              {t('screening.age_invalid')}
            </p>
          )}
        </div>
        <div class="field field-checks">
          <label class="choice">
            <input
              type="checkbox"
              id="screening-age-unknown"
              checked={setup.ageUnknown}
              onChange={(e) => set('ageUnknown', (e.currentTarget as HTMLInputElement).checked)}
            />
            <span>{t('screening.age_unknown')}</span>
          </label>
          <label class="choice">
            <input
              type="checkbox"
              id="screening-may-be-minor"
              checked={setup.mayBeMinor}
              onChange={(e) => set('mayBeMinor', (e.currentTarget as HTMLInputElement).checked)}
            />
            <span>{t('screening.may_be_minor')}</span>
          </label>
        </div>
      </div>

      {meta.error && <ErrorNotice error={meta.error} onRetry={meta.reload} />}
      <Select
        id="screening-source"
        label={t('screening.source')}
        value={setup.encounterSource}
        options={sources}
        optionLabel={(s) => tid('source', s)}
        onChange={(s) => set('encounterSource', s)}
      />

      <div class="field-row">
        <div class="field">
          <label for="screening-date">{t('screening.date')}</label>
          <input
            id="screening-date"
            type="date"
            max={today}
            dir="ltr"
            aria-invalid={touched && dateInvalid ? true : undefined}
            value={setup.encounterDate}
            onInput={(e) => set('encounterDate', (e.currentTarget as HTMLInputElement).value)}
          />
          {touched && dateInvalid && <p class="field-error">{t('screening.date_invalid')}</p>}
        </div>
        <div class="field">
          <label for="screening-place">
            {t('screening.place')} <span class="muted">({t('common.optional')})</span>
          </label>
          <input
            id="screening-place"
            maxLength={120}
            autocomplete="off"
            value={setup.place}
            onInput={(e) => set('place', (e.currentTarget as HTMLInputElement).value)}
          />
        </div>
      </div>

      <Select
        id="screening-sex"
        label={t('screening.sex')}
        value={setup.sex}
        options={SEXES}
        optionLabel={(s) => tid('sex', s)}
        onChange={(s) => set('sex', s)}
      />

      <label class="choice">
        <input
          type="checkbox"
          id="screening-interpreter"
          checked={setup.interpreter}
          onChange={(e) => set('interpreter', (e.currentTarget as HTMLInputElement).checked)}
        />
        <span>{t('screening.interpreter')}</span>
      </label>
      {setup.interpreter && (
        <div class="field">
          <label for="screening-interpreter-language">{t('screening.interpreter_language')}</label>
          <input
            id="screening-interpreter-language"
            class="input-short"
            maxLength={3}
            dir="ltr"
            autocomplete="off"
            aria-invalid={touched && interpreterLanguageInvalid ? true : undefined}
            value={setup.interpreterLanguage}
            onInput={(e) => set('interpreterLanguage', (e.currentTarget as HTMLInputElement).value.toLowerCase())}
          />
          {touched && interpreterLanguageInvalid && <p class="field-error">{t('screening.interpreter_language_invalid')}</p>}
        </div>
      )}

      {recordable && (
        <div class="field-row">
          <div class="field">
            <label for="screening-nationality">
              {t('screening.nationality')} <span class="muted">({t('common.optional')})</span>
            </label>
            <input
              id="screening-nationality"
              class="input-short"
              maxLength={2}
              autocapitalize="characters"
              autocomplete="off"
              spellcheck={false}
              dir="ltr"
              aria-invalid={touched && nationalityInvalid ? true : undefined}
              aria-describedby={touched && nationalityInvalid ? 'screening-nationality-error' : undefined}
              value={setup.nationality}
              onInput={(e) => set('nationality', (e.currentTarget as HTMLInputElement).value.toUpperCase())}
            />
            {touched && nationalityInvalid && (
              <p id="screening-nationality-error" class="field-error">
                {t('screening.nationality_invalid')}
              </p>
            )}
          </div>
          <div class="field">
            <label for="screening-person-ref">{t('screening.person_ref')}</label>
            <input
              id="screening-person-ref"
              autocomplete="off"
              spellcheck={false}
              dir="ltr"
              maxLength={64}
              required
              aria-invalid={touched && personRefInvalid ? true : undefined}
              aria-describedby={[
                'screening-person-ref-hint',
                touched && personRefInvalid ? 'screening-person-ref-error' : '',
                personRefLooksLikeName ? 'screening-person-ref-warning' : '',
              ]
                .filter(Boolean)
                .join(' ')}
              value={setup.personRef}
              onInput={(e) => set('personRef', (e.currentTarget as HTMLInputElement).value)}
            />
            <p id="screening-person-ref-hint" class="hint">
              {t('screening.person_ref_hint')}
            </p>
            {touched && personRefInvalid && (
              <p id="screening-person-ref-error" class="field-error">
                {t('screening.person_ref_missing')}
              </p>
            )}
            {personRefLooksLikeName && (
              <p
                id="screening-person-ref-warning"
                class="notice notice-warning"
                role="status"
                data-testid="person-ref-name-warning"
              >
                {t('screening.person_ref_looks_like_name')}
              </p>
            )}
          </div>
        </div>
      )}

      <div class="form-actions">
        <button type="submit" class="button button-primary">
          {t('screening.start')}
        </button>
      </div>
    </form>
  );
}
