// Labelled form fields on the NL Design System (Utrecht): a text field and a select, each in one
// shared frame (`FieldFrame`) that ties the description and the error to the control
// (aria-describedby, aria-invalid), so no field can lose that tie on its own.

import type { ComponentChildren } from 'preact';

export interface TextFieldProps {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly onInput: (value: string) => void;
  readonly description?: string;
  readonly error?: string | undefined;
  readonly type?: 'text' | 'date' | 'email' | 'tel';
  readonly inputMode?: 'numeric' | 'text' | 'email' | 'tel';
  readonly autoComplete?: string;
  readonly required?: boolean;
}

/**
 * The frame every labelled field shares: label, description and error above the control, the
 * invalid mark on the frame, and the `aria-describedby` that ties description and error to the
 * control (`describedBy`, empty when neither is shown).
 */
function FieldFrame(p: {
  readonly id: string;
  readonly label: string;
  readonly kind?: 'text';
  readonly description?: string | undefined;
  readonly error?: string | undefined;
  readonly children: (describedBy: string) => ComponentChildren;
}) {
  const describedBy = [
    p.description === undefined ? '' : `${p.id}-description`,
    p.error ? `${p.id}-error` : '',
  ]
    .filter((x) => x !== '')
    .join(' ');
  return (
    <div
      class={`utrecht-form-field${p.kind === undefined ? '' : ` utrecht-form-field--${p.kind}`}${p.error ? ' utrecht-form-field--invalid' : ''}`}
    >
      <div class="utrecht-form-field__label">
        <label class="utrecht-form-label" for={p.id}>
          {p.label}
        </label>
      </div>
      {p.description === undefined ? null : (
        <div
          class="utrecht-form-field-description utrecht-form-field__description"
          id={`${p.id}-description`}
        >
          {p.description}
        </div>
      )}
      {p.error ? (
        <div class="utrecht-form-field-error-message utrecht-form-field__error-message" id={`${p.id}-error`}>
          {p.error}
        </div>
      ) : null}
      <div class="utrecht-form-field__input">{p.children(describedBy)}</div>
    </div>
  );
}

export function TextField(p: TextFieldProps) {
  return (
    <FieldFrame id={p.id} label={p.label} kind="text" description={p.description} error={p.error}>
      {(describedBy) => (
        <input
          class={`utrecht-textbox utrecht-textbox--html-input${p.error ? ' utrecht-textbox--invalid' : ''}`}
          id={p.id}
          name={p.id}
          {...({ type: p.type ?? 'text' } as { type: 'text' })}
          value={p.value}
          spellcheck={false}
          autoComplete={p.autoComplete ?? 'off'}
          {...(p.inputMode === undefined ? {} : { inputMode: p.inputMode })}
          {...(describedBy === '' ? {} : { 'aria-describedby': describedBy })}
          {...(p.error ? { 'aria-invalid': 'true' } : {})}
          {...(p.required ? { required: true, 'aria-required': 'true' } : {})}
          onInput={(e) => p.onInput((e.currentTarget as HTMLInputElement).value)}
        />
      )}
    </FieldFrame>
  );
}

/** A labelled <select> with an empty first choice; its error is tied to it as TextField's is. */
export function SelectField(p: {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly options: readonly (readonly [value: string, label: string])[];
  readonly onChange: (value: string) => void;
  readonly error?: string | undefined;
}) {
  return (
    <FieldFrame id={p.id} label={p.label} error={p.error}>
      {(describedBy) => (
        <select
          id={p.id}
          class={`utrecht-select utrecht-select--html-select${p.error ? ' utrecht-select--invalid' : ''}`}
          value={p.value}
          {...(p.error ? { 'aria-invalid': 'true', 'aria-describedby': describedBy } : {})}
          onChange={(e) => p.onChange((e.currentTarget as HTMLSelectElement).value)}
        >
          <option value="">—</option>
          {p.options.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      )}
    </FieldFrame>
  );
}
