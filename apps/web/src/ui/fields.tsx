import { useId, type ReactNode } from 'react';

/** The look of a text input or select in a form; red while the model refuses its value. */
export const controlClass = (error?: string) =>
  `block w-full rounded-md border bg-white px-2 py-1.5 font-mono text-sm text-slate-900 placeholder:font-sans placeholder:italic placeholder:text-slate-400 focus:outline-none focus:ring-2 focus:ring-sky-600/30 read-only:bg-slate-50 disabled:bg-slate-50 ${error ? 'border-red-500' : 'border-slate-300 focus:border-sky-600'}`;

/**
 * A labelled control with a hint and the model's message under it (`data-field-error` names the
 * field for tests). `aside` sits at the label's right: a match's "not".
 */
export function Field({
  label,
  hint,
  error,
  aside,
  className = '',
  children,
}: {
  label: string;
  hint?: string | undefined;
  error: string | undefined;
  aside?: ReactNode;
  /** Classes for the field as a whole (its place in a grid, say). */
  className?: string | undefined;
  children: (id: string) => ReactNode;
}) {
  const id = useId();
  return (
    <div className={`text-sm ${className}`}>
      <div className="mb-1 flex items-center justify-between gap-2">
        <label htmlFor={id} className="font-medium text-slate-700">
          {label}
        </label>
        {aside}
      </div>
      {children(id)}
      {hint && <span className="mt-0.5 block text-xs text-slate-500">{hint}</span>}
      {error && (
        <p className="mt-1 text-xs text-red-700" data-field-error={label}>
          {error}
        </p>
      )}
    </div>
  );
}

export function TextInput({
  label,
  hint,
  error,
  value,
  placeholder,
  aside,
  list,
  onChange,
}: {
  label: string;
  hint?: string;
  error: string | undefined;
  value: string;
  placeholder?: string;
  aside?: ReactNode;
  /** The id of a datalist of suggestions. */
  list?: string;
  onChange: (value: string) => void;
}) {
  return (
    <Field label={label} hint={hint} error={error} aside={aside}>
      {(id) => (
        <input
          id={id}
          value={value}
          placeholder={placeholder}
          list={list}
          aria-invalid={error !== undefined}
          onChange={(e) => onChange(e.target.value)}
          className={controlClass(error)}
        />
      )}
    </Field>
  );
}

export function SelectInput({
  label,
  hint,
  error,
  value,
  aside,
  'aria-label': ariaLabel,
  onChange,
  children,
}: {
  label: string;
  hint?: string;
  error: string | undefined;
  value: string;
  aside?: ReactNode;
  /** A name more precise than the label ("route type"), as TextField takes one. */
  'aria-label'?: string;
  onChange: (value: string) => void;
  children: ReactNode;
}) {
  return (
    <Field label={label} hint={hint} error={error} aside={aside}>
      {(id) => (
        <select
          id={id}
          aria-label={ariaLabel}
          aria-invalid={error !== undefined}
          value={value}
          onChange={(e) => onChange(e.target.value)}
          className={controlClass(error)}
        >
          {children}
        </select>
      )}
    </Field>
  );
}

/** A small checkbox with its words: a match's "not", a flag. */
export function Tick({
  label,
  text,
  checked,
  onChange,
}: {
  /** The accessible name ("not Source"). */
  label: string;
  text: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <label className="flex items-center gap-1 text-xs text-slate-700">
      <input
        type="checkbox"
        aria-label={label}
        checked={checked}
        onChange={(e) => onChange(e.target.checked)}
        className="size-3.5"
      />
      <span className="font-mono">{text}</span>
    </label>
  );
}

/** A select's options, each shown as its value. */
export function Options({ values }: { values: readonly string[] }) {
  return values.map((value) => (
    <option key={value} value={value}>
      {value}
    </option>
  ));
}

/** A datalist of suggested values for a text input (`list={id}`). */
export function Suggestions({ id, names }: { id: string; names: readonly string[] }) {
  return (
    <datalist id={id}>
      {names.map((n) => (
        <option key={n} value={n} />
      ))}
    </datalist>
  );
}
