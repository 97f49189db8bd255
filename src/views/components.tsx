/**
 * Form and page components on the NL Design System (Utrecht) CSS classes. Accessibility is
 * built in: every field has a label; a field's hint and error are tied to it with
 * aria-describedby; invalid fields carry aria-invalid; the error summary links each message
 * to its field and is announced (role="alert").
 */
import type { Child } from 'hono/jsx';
import type { FieldErrors } from '../lib/errors.ts';
import { PASSWORD_MAX } from '../auth/password-policy.ts';

export type Values = Record<string, string | undefined>;

export interface FormState {
  values?: Values;
  errors?: FieldErrors;
}

const fieldId = (name: string) => `veld-${name}`;

/** The ids a field's hint and error carry, for the input's aria-describedby. */
function describedBy(id: string, hint: unknown, error: string | undefined): string | undefined {
  return [hint ? `${id}-hint` : null, error ? `${id}-fout` : null].filter(Boolean).join(' ') || undefined;
}

function FieldHint({ id, hint, field = true }: { id: string; hint?: Child; field?: boolean }) {
  if (!hint) return null;
  return (
    <div class={`utrecht-form-field-description${field ? ' utrecht-form-field__description' : ''}`} id={`${id}-hint`}>
      {hint}
    </div>
  );
}

function FieldError({ id, error, field = true }: { id: string; error: string | undefined; field?: boolean }) {
  if (!error) return null;
  return (
    <div class={`utrecht-form-field-error-message${field ? ' utrecht-form-field__error-message' : ''}`} id={`${id}-fout`}>
      <span class="betrokken-visually-hidden">Fout: </span>
      {error}
    </div>
  );
}

/** A message after an action (shown once, announced politely). */
export function Notice({ text }: { text: string | null | undefined }) {
  return text ? (
    <Alert type="ok" live>
      {text}
    </Alert>
  ) : null;
}

export function ErrorSummary({ errors, labels }: { errors?: FieldErrors | undefined; labels: Record<string, string> }) {
  const entries = Object.entries(errors ?? {}).filter(([, messages]) => messages.length > 0);
  if (entries.length === 0) return null;
  return (
    // Focused on load (autofocus), so keyboard and screen-reader users start at the errors.
    <div class="betrokken-error-summary" role="alert" tabindex={-1} autofocus id="foutmeldingen" aria-labelledby="foutmeldingen-titel">
      <h2 class="utrecht-heading-2" id="foutmeldingen-titel">
        Controleer {entries.length === 1 ? 'dit veld' : `deze ${entries.length} velden`}
      </h2>
      <ul class="utrecht-unordered-list">
        {entries.map(([name, messages]) => (
          <li class="utrecht-unordered-list__item">
            <a class="utrecht-link" href={labels[name] ? `#${fieldId(name)}` : '#inhoud'}>
              {labels[name] ? `${labels[name]}: ` : ''}
              {messages[0]}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

interface FieldProps {
  name: string;
  label: string;
  hint?: Child;
  state?: FormState | undefined;
  type?: 'text' | 'email' | 'password' | 'date' | 'tel';
  autocomplete?: string;
  inputmode?: 'numeric' | 'text' | 'email';
  required?: boolean;
  maxlength?: number;
  /** Never echo the value back (passwords, codes). */
  secret?: boolean;
  value?: string | undefined;
  spellcheck?: boolean;
}

export function TextField(props: FieldProps) {
  const id = fieldId(props.name);
  const error = props.state?.errors?.[props.name]?.[0];
  const value = props.secret ? undefined : (props.state?.values?.[props.name] ?? props.value);
  return (
    <div class={`utrecht-form-field utrecht-form-field--text${error ? ' utrecht-form-field--invalid' : ''}`}>
      <div class="utrecht-form-field__label">
        <label class="utrecht-form-label" for={id}>
          {props.label}
          {props.required === false ? ' (niet verplicht)' : ''}
        </label>
      </div>
      <FieldHint id={id} hint={props.hint} />
      <FieldError id={id} error={error} />
      <div class="utrecht-form-field__input">
        <input
          class={`utrecht-textbox utrecht-textbox--html-input${error ? ' utrecht-textbox--invalid' : ''}`}
          id={id}
          name={props.name}
          type={props.type ?? 'text'}
          value={value}
          autocomplete={props.autocomplete}
          inputmode={props.inputmode}
          required={props.required !== false}
          maxlength={props.maxlength}
          spellcheck={props.spellcheck === false ? false : undefined}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={describedBy(id, props.hint, error)}
        />
      </div>
    </div>
  );
}

export function Checkbox(props: { name: string; label: Child; state?: FormState | undefined; hint?: Child }) {
  const id = fieldId(props.name);
  const error = props.state?.errors?.[props.name]?.[0];
  return (
    <div class={`utrecht-form-field utrecht-form-field--checkbox${error ? ' utrecht-form-field--invalid' : ''}`}>
      <FieldError id={id} error={error} />
      <div class="utrecht-form-field__label utrecht-form-field__label--checkbox">
        <label class="utrecht-form-label utrecht-form-label--checkbox" for={id}>
          <input
            class="utrecht-checkbox utrecht-checkbox--html-input utrecht-form-field__input"
            type="checkbox"
            id={id}
            name={props.name}
            value="ja"
            checked={props.state?.values?.[props.name] === 'ja'}
            required
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={describedBy(id, props.hint, error)}
          />{' '}
          {props.label}
        </label>
      </div>
      <FieldHint id={id} hint={props.hint} />
    </div>
  );
}

/** A group of radio buttons in a fieldset with a legend. */
export function RadioGroup(props: { name: string; legend: string; options: Record<string, string>; state?: FormState | undefined; hint?: Child }) {
  const id = fieldId(props.name);
  const error = props.state?.errors?.[props.name]?.[0];
  const chosen = props.state?.values?.[props.name];
  return (
    <fieldset
      class="utrecht-form-fieldset utrecht-form-fieldset--html-fieldset"
      aria-describedby={describedBy(id, props.hint, error)}
      aria-invalid={error ? 'true' : undefined}
    >
      <legend class="utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend">{props.legend}</legend>
      <FieldHint id={id} hint={props.hint} field={false} />
      <FieldError id={id} error={error} field={false} />
      {Object.entries(props.options).map(([value, label], index) => (
        <div class="utrecht-form-field utrecht-form-field--radio">
          <div class="utrecht-form-field__label utrecht-form-field__label--radio">
            <label class="utrecht-form-label utrecht-form-label--radio" for={index === 0 ? id : `${id}-${value}`}>
              <input
                class={`utrecht-radio-button utrecht-radio-button--html-input utrecht-form-field__input${error ? ' utrecht-radio-button--invalid' : ''}`}
                type="radio"
                id={index === 0 ? id : `${id}-${value}`}
                name={props.name}
                value={value}
                checked={chosen === value}
                required
                aria-invalid={error ? 'true' : undefined}
              />{' '}
              {label}
            </label>
          </div>
        </div>
      ))}
    </fieldset>
  );
}

export function Button(props: {
  children: Child;
  variant?: 'primary' | 'secondary' | 'danger' | 'subtle';
  name?: string;
  value?: string;
  id?: string;
  type?: 'submit' | 'button';
}) {
  const variant = { primary: 'primary-action', secondary: 'secondary-action', danger: 'primary-action utrecht-button--danger', subtle: 'subtle' }[
    props.variant ?? 'primary'
  ];
  return (
    <button class={`utrecht-button utrecht-button--${variant}`} type={props.type ?? 'submit'} name={props.name} value={props.value} id={props.id}>
      {props.children}
    </button>
  );
}

export function Alert(props: { type?: 'info' | 'ok' | 'warning' | 'error'; children: Child; live?: boolean }) {
  const type = props.type ?? 'info';
  return (
    <div class={`utrecht-alert utrecht-alert--${type}`} role={props.live || type === 'error' ? 'alert' : 'status'}>
      <div class="utrecht-alert__content">
        <div class="utrecht-alert__message">{props.children}</div>
      </div>
    </div>
  );
}

export function Heading({ level, children, id }: { level: 1 | 2 | 3; children: Child; id?: string }) {
  if (level === 1)
    return (
      <h1 class="utrecht-heading-1" id={id}>
        {children}
      </h1>
    );
  if (level === 2)
    return (
      <h2 class="utrecht-heading-2" id={id}>
        {children}
      </h2>
    );
  return (
    <h3 class="utrecht-heading-3" id={id}>
      {children}
    </h3>
  );
}

export function P({ children, lead }: { children: Child; lead?: boolean }) {
  return <p class={`utrecht-paragraph${lead ? ' utrecht-paragraph--lead' : ''}`}>{children}</p>;
}

export function Link({ href, children, current }: { href: string; children: Child; current?: boolean }) {
  return (
    <a class="utrecht-link" href={href} aria-current={current ? 'page' : undefined}>
      {children}
    </a>
  );
}

/** A titled part of a page; the heading names the section for assistive technology. */
export function Section({ id, title, children }: { id: string; title: Child; children: Child }) {
  return (
    <section aria-labelledby={`${id}-titel`}>
      <Heading level={2} id={`${id}-titel`}>
        {title}
      </Heading>
      {children}
    </section>
  );
}

/**
 * An id for the caption and hint, the same for the same table on every render (a page's
 * HTML depends only on its data): from the caption and columns, FNV-1a.
 */
function tableId(caption: Child, columns: string[]): string {
  let hash = 0x811c9dc5;
  for (const ch of `${String(caption)}|${columns.join('|')}`) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193);
  return `tabel-${(hash >>> 0).toString(36)}`;
}

/**
 * Explicit table roles for stacked tables: a table shown as blocks loses its semantics in some
 * browsers (WebKit), so the roles are spelled out (not redundant there, whatever a linter says).
 */
const STACK_ROLES = { table: 'table', rowgroup: 'rowgroup', row: 'row', columnheader: 'columnheader', rowheader: 'rowheader', cell: 'cell' } as const;

/**
 * An NL Design System table that never makes the page scroll sideways (docs: responsive
 * tables). Two layouts:
 * - `stack` (the professional's own tables): on a narrow screen every row becomes a block and
 *   every cell shows its column's name before its value (a `Cell` with `label`); the table
 *   keeps its semantics for screen readers (explicit ARIA table roles, since some browsers
 *   drop them when a table is not displayed as one).
 * - `scroll` (wide administration tables): the table scrolls sideways inside a region that
 *   is named by the caption, takes keyboard focus (arrow keys scroll it) and carries a visible
 *   hint on narrow screens.
 * The caption names the table for screen readers; `hiddenCaption` when a heading already shows it.
 */
export function Table({
  caption,
  hiddenCaption,
  columns,
  children,
  layout = 'scroll',
}: {
  caption: Child;
  hiddenCaption?: boolean;
  columns: string[];
  children: Child;
  layout?: 'stack' | 'scroll';
}) {
  const stack = layout === 'stack';
  const id = tableId(caption, columns);
  const table = (
    <table class={stack ? 'utrecht-table betrokken-table--stack' : 'utrecht-table'} role={stack ? STACK_ROLES.table : undefined}>
      <caption class={hiddenCaption ? 'utrecht-table__caption betrokken-visually-hidden' : 'utrecht-table__caption'} id={`${id}-titel`}>
        {caption}
      </caption>
      <thead class="utrecht-table__header" role={stack ? STACK_ROLES.rowgroup : undefined}>
        <tr class="utrecht-table__row" role={stack ? STACK_ROLES.row : undefined}>
          {columns.map((column) => (
            <th class="utrecht-table__header-cell" scope="col" role={stack ? STACK_ROLES.columnheader : undefined}>
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody class="utrecht-table__body" role={stack ? STACK_ROLES.rowgroup : undefined}>
        {children}
      </tbody>
    </table>
  );
  if (stack) return <div class="betrokken-table-stack">{table}</div>;
  return (
    <div class="betrokken-table">
      <p class="betrokken-table-hint" id={`${id}-hint`}>
        Schuif opzij voor meer kolommen
      </p>
      {/* A region (a named section), focusable so keyboard users can scroll it; named by the caption. */}
      <section class="betrokken-table-scroll" aria-labelledby={`${id}-titel`} aria-describedby={`${id}-hint`} tabindex={0}>
        {table}
      </section>
    </div>
  );
}

/** A row of a `stack` table (the explicit role keeps the table semantics when stacked). */
export function Row({ children }: { children: Child }) {
  return (
    <tr class="utrecht-table__row" role={STACK_ROLES.row}>
      {children}
    </tr>
  );
}

/**
 * A cell of a `stack` table: `label` is its column's name, shown before the value when the
 * rows are stacked. `header` for the cell that names the row (th scope="row").
 */
export function Cell({ label, header, children }: { label: string; header?: boolean; children?: Child }) {
  return header ? (
    <th class="utrecht-table__header-cell" scope="row" role={STACK_ROLES.rowheader} data-label={label}>
      {children}
    </th>
  ) : (
    <td class="utrecht-table__cell" role={STACK_ROLES.cell} data-label={label}>
      {children}
    </td>
  );
}

/** The code from an authenticator app (or a recovery code): digits, never kept in the form. */
export function CodeField({ label, hint, state }: { label: string; hint: string; state?: FormState | undefined }) {
  return <TextField name="code" label={label} hint={hint} inputmode="numeric" autocomplete="one-time-code" spellcheck={false} secret state={state} />;
}

/** Choosing a new password: the password and its repetition, both never kept in the form. */
export function NewPasswordFields({ hint, state }: { hint?: string; state?: FormState | undefined }) {
  return (
    <>
      <TextField
        name="password"
        label="Nieuw wachtwoord"
        hint={hint}
        type="password"
        autocomplete="new-password"
        secret
        maxlength={PASSWORD_MAX}
        state={state}
      />
      <TextField
        name="confirm"
        label="Herhaal het nieuwe wachtwoord"
        type="password"
        autocomplete="new-password"
        secret
        maxlength={PASSWORD_MAX}
        state={state}
      />
    </>
  );
}

/** A labelled select with hint and error beside it, like TextField (veld-{name} ids). */
export function SelectField(props: {
  name: string;
  label: string;
  options: Record<string, string>;
  /** The first, empty choice ("Kies …"), if the field may start empty. */
  empty?: string;
  hint?: Child;
  state?: FormState | undefined;
  value?: string | undefined;
}) {
  const id = `veld-${props.name}`;
  const error = props.state?.errors?.[props.name]?.[0];
  const chosen = props.state?.values?.[props.name] ?? props.value ?? '';
  const describedBy = [props.hint ? `${id}-hint` : null, error ? `${id}-fout` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div class={`utrecht-form-field${error ? ' utrecht-form-field--invalid' : ''}`}>
      <div class="utrecht-form-field__label">
        <label class="utrecht-form-label" for={id}>
          {props.label}
        </label>
      </div>
      {props.hint ? (
        <div class="utrecht-form-field-description utrecht-form-field__description" id={`${id}-hint`}>
          {props.hint}
        </div>
      ) : null}
      {error ? (
        <div class="utrecht-form-field-error-message utrecht-form-field__error-message" id={`${id}-fout`}>
          <span class="betrokken-visually-hidden">Fout: </span>
          {error}
        </div>
      ) : null}
      <div class="utrecht-form-field__input">
        <select
          class={`utrecht-select utrecht-select--html-select${error ? ' utrecht-select--invalid' : ''}`}
          id={id}
          name={props.name}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={describedBy}
        >
          {props.empty !== undefined ? (
            <option value="" selected={chosen === ''}>
              {props.empty}
            </option>
          ) : null}
          {Object.entries(props.options).map(([value, label]) => (
            <option value={value} selected={chosen === value}>
              {label}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
