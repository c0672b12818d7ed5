// A labelled text input with its hint and error state, wired for assistive technology: the
// label names the control, the hint describes it, and an error the server tied to the field
// marks it invalid.
import type { ComponentChildren, Ref } from 'preact';

export interface FieldProps {
  id: string;
  label: ComponentChildren;
  value: string;
  onValue: (value: string) => void;
  hint?: ComponentChildren;
  /** The server named this field in its error. */
  invalid?: boolean;
  type?: 'text' | 'password' | 'number' | 'date';
  required?: boolean;
  autocomplete?: string;
  autocapitalize?: 'none' | 'off' | 'on';
  spellcheck?: boolean;
  inputMode?: 'text' | 'numeric';
  maxLength?: number;
  placeholder?: string;
  name?: string;
  inputRef?: Ref<HTMLInputElement>;
  class?: string;
}

export function Field(p: FieldProps) {
  return (
    <div class={p.class ? `field ${p.class}` : 'field'}>
      <label for={p.id}>{p.label}</label>
      <input
        id={p.id}
        name={p.name}
        ref={p.inputRef}
        // Preact 11 types `type` as a union discriminating other attributes; those set here are
        // valid for each of the four types allowed.
        type={(p.type ?? 'text') as 'text'}
        value={p.value}
        required={p.required}
        autocomplete={p.autocomplete}
        autocapitalize={p.autocapitalize}
        spellcheck={p.spellcheck}
        inputMode={p.inputMode}
        maxLength={p.maxLength}
        placeholder={p.placeholder}
        aria-describedby={p.hint ? `${p.id}-hint` : undefined}
        aria-invalid={p.invalid ? true : undefined}
        onInput={(e) => p.onValue((e.currentTarget as HTMLInputElement).value)}
      />
      {p.hint && (
        <p id={`${p.id}-hint`} class="hint">
          {p.hint}
        </p>
      )}
    </div>
  );
}
