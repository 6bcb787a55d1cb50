import path from 'node:path';
import { shellQuote, stepText, type ApplyReport, type Step } from '@netcanvas/model';
import type { LabSelector } from '@netcanvas/kernel';

/** Writing, and the small text helpers every command shares. */

export const out = (line = ''): void => void process.stdout.write(line + '\n');
export const err = (line = ''): void => void process.stderr.write(line + '\n');

export const plural = (n: number, word: string, many = `${word}s`): string => `${n} ${n === 1 ? word : many}`;

export const ms = (durationMs: number): string => `${Math.round(durationMs)} ms`;

/**
 * How the person started us, so hints are commands they can paste: the installed bin (or the bundle
 * it runs), or the workspace script (`pnpm netcanvas`, which runs the sources through tsx).
 */
export function commandName(): string {
  const script = path.basename(process.argv[1] ?? '');
  // netcanvas.cjs: the bundle run as `node apps/agent/dist/netcanvas.cjs`.
  return ['netcanvas', 'netcanvas.js', 'netcanvas.cjs'].includes(script) ? 'netcanvas' : 'pnpm netcanvas';
}

/** The flags that select a lab again in a hint: nothing for the default lab. */
export function labFlags(selector: LabSelector): string {
  if (selector.host) return ' --host';
  return selector.lab === 'default' ? '' : ` --lab ${shellQuote([selector.lab])}`;
}

/** A command as the log shows it: `  ip -n ns0 link set dev veth0 up   # bring up`. */
export const stepLine = (step: Step, indent = '  '): string =>
  `${indent}${stepText(step)}   # ${step.reason}`;

/** Pads columns to their widest cell; the last column is not padded. */
export function table(rows: readonly (readonly string[])[], indent = ''): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map(
    (row) =>
      indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '),
  );
}

/** `ns0, ns1, ns2 … +37 more`, within about `max` characters; `-` when empty. */
export function truncateList(items: readonly string[], max: number): string {
  if (items.length === 0) return '-';
  let text = '';
  for (let i = 0; i < items.length; i++) {
    const next = text === '' ? (items[i] as string) : `${text}, ${items[i]}`;
    const rest = items.length - i - 1;
    const suffix = rest > 0 ? ` … +${rest} more` : '';
    if (next.length + suffix.length > max && text !== '') return `${text} … +${items.length - i} more`;
    text = next;
  }
  return text;
}

/** Words joined with two spaces, wrapped to `width` columns, each line starting with `indent`. */
export function wrap(words: readonly string[], indent: string, width = 100): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of words) {
    if (line !== '' && indent.length + line.length + 2 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line === '' ? word : `${line}  ${word}`;
  }
  if (line !== '') lines.push(indent + line);
  return lines;
}

/**
 * What a failed apply did and did not do (stdout: what ran; stderr: the failure and what never
 * ran), so a person can see exactly where the kernel and the document part ways.
 */
export function printApplyFailure(report: ApplyReport, what: string): void {
  for (const outcome of report.done) out(stepLine(outcome.step));
  const failed = report.failed;
  if (failed) {
    err(`failed (exit ${failed.exitCode}):`);
    err(stepLine(failed.step));
    for (const line of (failed.stderr || '(no message)').split('\n')) err(`    ${line}`);
  }
  if (report.notRun.length > 0) {
    err(`not run (${plural(report.notRun.length, 'command')}):`);
    for (const step of report.notRun) err(stepLine(step));
  }
  const total = report.done.length + (failed ? 1 : 0) + report.notRun.length;
  err(
    `netcanvas: ${what} stopped at a failing command: ${report.done.length} of ${plural(total, 'command')} ran; ` +
      'fix the cause and run it again (it only runs what is still needed)',
  );
}

/** `2025-05-01 14:03` (with `:05` seconds if asked), in this machine's time zone. */
export function localTime(iso: string, seconds = false): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  const date = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
  return `${date} ${two(d.getHours())}:${two(d.getMinutes())}${seconds ? `:${two(d.getSeconds())}` : ''}`;
}
