import type { InputHTMLAttributes } from 'react';
import { Field, controlClass } from './fields';

/**
 * A labelled text input that takes any input attribute (value, onChange, placeholder…): the one
 * form field (`Field`, fields.tsx) around a plain input, so every form's label, hint and message
 * look and read the same. `aria-label`, when given, names it more precisely than the label.
 */
export function TextField({
  label,
  hint,
  error,
  className,
  ...rest
}: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string; error?: string }) {
  return (
    <Field label={label} hint={hint} error={error} className={className}>
      {(id) => (
        <input
          id={id}
          aria-label={rest['aria-label'] ?? label}
          aria-invalid={error !== undefined}
          className={controlClass(error)}
          {...rest}
        />
      )}
    </Field>
  );
}
