import type { InputHTMLAttributes } from 'react';

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
      <input
        aria-label={rest['aria-label'] ?? label}
        className="block w-full rounded-md border border-slate-300 px-2.5 py-1.5 font-mono text-sm text-slate-900 focus:border-sky-600 focus:outline-none focus:ring-2 focus:ring-sky-600/30 read-only:bg-slate-50 disabled:bg-slate-50"
        {...rest}
      />
      {hint && <span className="mt-1 block text-xs text-slate-500">{hint}</span>}
    </label>
  );
}
