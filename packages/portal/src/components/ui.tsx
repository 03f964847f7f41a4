// Small NL Design System (Utrecht) building blocks: labelled fields (fields.tsx) and tables
// (table.tsx), both re-exported here, alerts that screen readers announce, headings, buttons and
// the confirm step (a dialog, and `useConfirm` holding what it asks about). Semantic HTML with
// Utrecht classes, no styles.

import type { ComponentChildren, Ref, VNode } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

/** `focus`: the heading takes the focus when it appears (a step of a form, docs/portal.md "Accessibility"). */
export function Heading1({ children, focus }: { children: ComponentChildren; focus?: boolean }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focus === true) ref.current?.focus();
  }, [focus]);
  return (
    <h1 class="utrecht-heading-1" ref={ref} {...(focus === true ? { tabIndex: -1 } : {})}>
      {children}
    </h1>
  );
}
export function Heading2({ children, id }: { children: ComponentChildren; id?: string }) {
  return (
    <h2 class="utrecht-heading-2" {...(id === undefined ? {} : { id })}>
      {children}
    </h2>
  );
}
export function P({ children }: { children: ComponentChildren }) {
  return <p class="utrecht-paragraph">{children}</p>;
}

export { SelectField, TextField, type TextFieldProps } from './fields.js';
export { Table, TableBody, TableCell, TableHead, TableRow } from './table.js';

export function Choice(p: {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly checked: boolean;
  readonly type: 'radio' | 'checkbox';
  readonly onChange: (checked: boolean) => void;
}) {
  const cls =
    p.type === 'radio'
      ? 'utrecht-radio-button utrecht-radio-button--html-input'
      : 'utrecht-checkbox utrecht-checkbox--html-input';
  return (
    <div class={`utrecht-form-field utrecht-form-field--${p.type === 'radio' ? 'radio' : 'checkbox'}`}>
      <div class="utrecht-form-field__input">
        <input
          class={cls}
          type={p.type}
          id={p.id}
          name={p.name}
          checked={p.checked}
          onChange={(e) => p.onChange((e.currentTarget as HTMLInputElement).checked)}
        />
      </div>
      <div class="utrecht-form-field__label">
        <label
          class={`utrecht-form-label utrecht-form-label--${p.type === 'radio' ? 'radio' : 'checkbox'}`}
          for={p.id}
        >
          {p.label}
        </label>
      </div>
    </div>
  );
}

export function Fieldset(p: {
  readonly legend: string;
  readonly children: ComponentChildren;
  readonly error?: string | undefined;
  readonly id: string;
}) {
  return (
    <div class={`utrecht-form-fieldset${p.error ? ' utrecht-form-fieldset--invalid' : ''}`}>
      <fieldset
        class="utrecht-form-fieldset__fieldset utrecht-form-fieldset--html-fieldset"
        {...(p.error ? { 'aria-describedby': `${p.id}-error`, 'aria-invalid': 'true' } : {})}
      >
        <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">
          {p.legend}
        </legend>
        {p.error ? (
          <div class="utrecht-form-field-error-message" id={`${p.id}-error`}>
            {p.error}
          </div>
        ) : null}
        {p.children}
      </fieldset>
    </div>
  );
}

export function Button(p: {
  readonly children: ComponentChildren;
  readonly onClick?: () => void;
  readonly type?: 'button' | 'submit';
  readonly variant?: 'primary' | 'secondary' | 'subtle';
  readonly busy?: boolean;
  readonly disabled?: boolean;
  /** For a screen that moves the focus back to this button. */
  readonly id?: string;
}) {
  const variant = p.variant ?? 'primary';
  return (
    <button
      {...(p.id === undefined ? {} : { id: p.id })}
      class={`utrecht-button utrecht-button--${variant === 'subtle' ? 'subtle' : `${variant}-action`}${p.busy ? ' utrecht-button--busy' : ''}`}
      type={p.type ?? 'button'}
      {...(p.busy ? { 'aria-busy': 'true' } : {})}
      {...(p.disabled ? { disabled: true } : {})}
      {...(p.onClick === undefined ? {} : { onClick: p.onClick })}
    >
      {p.children}
    </button>
  );
}

export function ButtonGroup({ children }: { children: ComponentChildren }) {
  return <div class="utrecht-button-group">{children}</div>;
}

/**
 * An alert: `error` interrupts the screen reader (role=alert); the others are polite (role=status).
 * `focus`: the result of an action that replaced the control the user pressed takes the focus
 * when it appears, so keyboard and screen reader users are not left on <body>. Only then: a
 * new text in an alert already shown is told by its live region (role alert or status), and
 * the focus stays where the person is (it is taken again only when it fell to <body>, the
 * pressed control gone) — as on a re-render (a confirm step opened and cancelled
 * beside an invitation code), so a closing dialog can return it to its opener (docs/portal.md
 * "Confirming").
 */
export function Alert(p: {
  readonly type: 'info' | 'ok' | 'warning' | 'error';
  readonly children: ComponentChildren;
  readonly id?: string;
  readonly focus?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (p.focus === true) ref.current?.focus();
  }, [p.focus]);
  const text = typeof p.children === 'string' ? p.children : null;
  useEffect(() => {
    // A new text: only where the focus was lost with the control that was pressed.
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (p.focus === true && lost) ref.current?.focus();
  }, [text]);
  return (
    <div
      class={`utrecht-alert utrecht-alert--${p.type}`}
      role={p.type === 'error' ? 'alert' : 'status'}
      ref={ref}
      {...(p.focus === true ? { tabIndex: -1 } : {})}
      {...(p.id === undefined ? {} : { id: p.id })}
    >
      <div class="utrecht-alert__content">
        <div class="utrecht-alert__message">{p.children}</div>
      </div>
    </div>
  );
}

/**
 * The end of a small form opened under a list (whom you informed, link to client): the refusal
 * that names no field, as an alert that takes the focus, then *submit* and *cancel*.
 */
export function FormFooter(p: {
  readonly failure: string | null;
  readonly busy: boolean;
  readonly submit: string;
  readonly cancel: string;
  readonly onCancel: () => void;
}) {
  return (
    <>
      {p.failure === null ? null : (
        <Alert type="error" focus>
          {p.failure}
        </Alert>
      )}
      <ButtonGroup>
        <Button type="submit" busy={p.busy}>
          {p.submit}
        </Button>
        <Button variant="secondary" onClick={p.onCancel}>
          {p.cancel}
        </Button>
      </ButtonGroup>
    </>
  );
}

/**
 * A form's error summary (docs/portal.md "Accessibility"): a titled list whose links jump to
 * each field (`#<field id>`, an in-page anchor, not a route). The form moves the focus here
 * after a failed check (`summaryRef`), so a screen reader reads the list first.
 */
export function ErrorSummary(p: {
  readonly id: string;
  readonly title: string;
  readonly errors: readonly (readonly [fieldId: string, message: string])[];
  readonly summaryRef: Ref<HTMLElement>;
}) {
  if (p.errors.length === 0) return null;
  return (
    <section
      class="utrecht-alert utrecht-alert--error"
      tabIndex={-1}
      ref={p.summaryRef}
      aria-labelledby={`${p.id}-title`}
    >
      <div class="utrecht-alert__message">
        <h2 class="utrecht-heading-2" id={`${p.id}-title`}>
          {p.title}
        </h2>
        <ul class="utrecht-unordered-list">
          {p.errors.map(([field, message]) => (
            <li key={field}>
              <a class="utrecht-link utrecht-link--html-a" href={`#${field}`}>
                {message}
              </a>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}

/** A command to type on the server, in a Utrecht code block (it scrolls sideways, never wraps mid-word). */
export function Command({ children }: { children: string }) {
  return (
    <pre class="utrecht-code-block">
      <code class="utrecht-code-block__content">{children}</code>
    </pre>
  );
}

export function Link(p: { readonly href: string; readonly children: ComponentChildren }) {
  return (
    <a class="utrecht-link utrecht-link--html-a" href={p.href}>
      {p.children}
    </a>
  );
}

export function DataList({ items }: { items: readonly (readonly [string, ComponentChildren])[] }) {
  return (
    <dl class="utrecht-data-list utrecht-data-list--rows">
      {items.map(([k, v]) => (
        <div class="utrecht-data-list__item" key={k}>
          <dt class="utrecht-data-list__item-key">{k}</dt>
          <dd class="utrecht-data-list__item-value utrecht-data-list__item-value--html-dd">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

/**
 * The confirm step of an action that cannot be undone (docs/portal.md "Confirming"): a modal
 * <dialog> that names the consequence. Focus moves to its cancel button (the safe choice);
 * the browser keeps it inside, treats Escape as cancel and returns the focus to the button
 * that opened it.
 */
export function ConfirmDialog(p: {
  readonly id: string;
  readonly title: string;
  readonly text: ComponentChildren;
  readonly confirm: string;
  readonly cancel: string;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (d !== null && !d.open) d.showModal();
    cancelRef.current?.focus();
    return () => {
      if (d?.open) d.close();
    };
  }, []);
  const finish = (confirmed: boolean) => {
    ref.current?.close();
    if (confirmed) p.onConfirm();
    else p.onCancel();
  };
  return (
    <dialog
      ref={ref}
      class="sluis-dialog"
      aria-labelledby={`${p.id}-title`}
      aria-describedby={`${p.id}-text`}
      onCancel={(e) => {
        e.preventDefault();
        finish(false);
      }}
    >
      <div class="sluis-stack">
        <h2 class="utrecht-heading-2" id={`${p.id}-title`}>
          {p.title}
        </h2>
        <div class="utrecht-paragraph" id={`${p.id}-text`}>
          {p.text}
        </div>
        <div class="utrecht-button-group">
          <button
            class="utrecht-button utrecht-button--secondary-action"
            type="button"
            ref={cancelRef}
            onClick={() => finish(false)}
          >
            {p.cancel}
          </button>
          <button
            class="utrecht-button utrecht-button--primary-action"
            type="button"
            onClick={() => finish(true)}
          >
            {p.confirm}
          </button>
        </div>
      </div>
    </dialog>
  );
}

/** What a confirm step says: its dialog's id, heading, consequence and buttons. */
export interface ConfirmTexts {
  readonly id: string;
  readonly title: string;
  readonly text: ComponentChildren;
  readonly confirm: string;
  readonly cancel: string;
}

/**
 * A confirm step for one subject at a time (a person, a device, a signal …): `ask(subject)`
 * opens the dialog, `dialog` is what to render where it belongs (null while none is open).
 * Both buttons close it; *Yes, …* then hands the subject to `onConfirm`, *Cancel* sends nothing.
 */
export function useConfirm<T>(
  texts: (subject: T) => ConfirmTexts,
  onConfirm: (subject: T) => void,
): { readonly ask: (subject: T) => void; readonly dialog: VNode | null } {
  const [asked, setAsked] = useState<{ readonly subject: T } | null>(null);
  const dialog =
    asked === null ? null : (
      <ConfirmDialog
        {...texts(asked.subject)}
        onCancel={() => setAsked(null)}
        onConfirm={() => {
          setAsked(null);
          onConfirm(asked.subject);
        }}
      />
    );
  return { ask: (subject) => setAsked({ subject }), dialog };
}
