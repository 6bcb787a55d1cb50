import type { ReactNode } from 'react';

const TONES = {
  namespace: 'border-slate-400 bg-white',
  root: 'border-slate-400 bg-slate-100',
  foreign: 'border-dashed border-slate-400 bg-white',
  bridge: 'border-indigo-400 bg-indigo-50',
  drift: 'border-amber-500 bg-amber-50',
} as const;

/** A node drawn zoomed out: same size, its name, nothing else (cheap to paint while panning). */
export function PlainBox({
  width,
  height,
  label,
  tone,
  children,
}: {
  width: number;
  height: number;
  label: string;
  tone: keyof typeof TONES;
  children?: ReactNode;
}) {
  return (
    <div
      className={`relative box-border flex items-center justify-center rounded-xl border-4 ${TONES[tone]}`}
      style={{ width, height }}
    >
      <span className="truncate px-2 text-4xl font-semibold text-slate-700">{label}</span>
      {children}
    </div>
  );
}
