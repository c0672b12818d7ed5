import { LANGUAGES, LANGUAGE_NAMES, isLang, useI18n } from '../i18n';

/** A labelled select of the four interface languages; Arabic turns the layout right-to-left. */
export function LanguagePicker({ id, label }: { id: string; label?: string }) {
  const { lang, setLang, t } = useI18n();
  return (
    <div class="field field-inline">
      <label for={id}>{label ?? t('shell.language')}</label>
      <select
        id={id}
        value={lang}
        onChange={(e) => {
          const value = (e.currentTarget as HTMLSelectElement).value;
          if (isLang(value)) setLang(value);
        }}
      >
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LANGUAGE_NAMES[l]}
          </option>
        ))}
      </select>
    </div>
  );
}
