import type { InputHTMLAttributes } from 'react';
import { controlClass } from './fields';

/** A labelled text input (the label is also its accessible name). */
export function TextField({
  label,
  hint,
  className = '',
  ...rest
}: InputHTMLAttributes<HTMLInputElement> & { label: string; hint?: string }) {
  return (
    <label className={`block text-sm ${className}`}>
      <span className="mb-1 block font-medium text-slate-700">{label}</span>
      <input aria-label={rest['aria-label'] ?? label} className={controlClass()} {...rest} />
      {hint && <span className="mt-1 block text-xs text-slate-500">{hint}</span>}
    </label>
  );
}
