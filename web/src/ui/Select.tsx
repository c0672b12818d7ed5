// A labelled select over a list of identifiers (usually an enumeration from GET /meta), each
// shown by `label(id)`.
import type { ComponentChildren } from 'preact';

export interface SelectProps<V extends string> {
  id: string;
  label: ComponentChildren;
  value: V;
  options: readonly V[];
  optionLabel: (value: V) => string;
  onChange: (value: V) => void;
  hint?: ComponentChildren;
  invalid?: boolean;
  required?: boolean;
  class?: string;
}

export function Select<V extends string>({ id, label, value, options, optionLabel, onChange, hint, invalid, required, class: extra }: SelectProps<V>) {
  return (
    <div class={extra ? `field ${extra}` : 'field'}>
      <label for={id}>{label}</label>
      <select
        id={id}
        value={value}
        required={required}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value as V)}
      >
        {options.map((o) => (
          <option key={o} value={o}>
            {optionLabel(o)}
          </option>
        ))}
      </select>
      {hint && (
        <p id={`${id}-hint`} class="hint">
          {hint}
        </p>
      )}
    </div>
  );
}
