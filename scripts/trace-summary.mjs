#!/usr/bin/env node
// Reads an agent's trace (the file NETCANVAS_TRACE named: packages/kernel/src/trace.ts) and prints
// each span's count, median, p95 and max, then the slowest edits with every span that overlapped
// them, in order: what an edit waited for.
//
//   node scripts/trace-summary.mjs /tmp/trace.jsonl [slowest=5]
import { readFileSync } from 'node:fs';

const [file, slowestArg = '5'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/trace-summary.mjs TRACE_FILE [SLOWEST_EDITS]');
  process.exit(2);
}
const spans = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line));

/** A span's group: its name, and for reads their kind (asked for, sample, sweep slice). */
const groupOf = (span) => (span.span === 'read' ? `read (${span.kind})` : span.span);

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const groups = new Map();
for (const span of spans) {
  const list = groups.get(groupOf(span)) ?? [];
  list.push(span.ms);
  groups.set(groupOf(span), list);
}
console.log('span                          count   median      p95      max   (ms)');
for (const [name, list] of [...groups].sort(([a], [b]) => a.localeCompare(b))) {
  const sorted = [...list].sort((a, b) => a - b);
  const cells = [quantile(sorted, 0.5), quantile(sorted, 0.95), sorted.at(-1)].map((n) =>
    n.toFixed(1).padStart(8),
  );
  console.log(`${name.padEnd(28)}${String(list.length).padStart(7)} ${cells.join(' ')}`);
}

const edits = spans.filter((s) => s.span === 'edit').sort((a, b) => b.ms - a.ms);

// The agent's garbage collections (gc.*) inside each edit: how much of the tail they make.
const collections = spans.filter((s) => s.span.startsWith('gc.'));
if (collections.length > 0 && edits.length > 0) {
  const inside = (edit) =>
    collections.reduce((sum, gc) => {
      const overlap = Math.min(gc.at + gc.ms, edit.at + edit.ms) - Math.max(gc.at, edit.at);
      return sum + Math.max(0, overlap);
    }, 0);
  const sorted = (list) => [...list].sort((a, b) => a - b);
  const gcTimes = sorted(edits.map(inside));
  const withoutGc = sorted(edits.map((e) => e.ms - inside(e)));
  const fixed = (n) => n.toFixed(1);
  console.log(
    `\ngarbage collection inside edits: median ${fixed(quantile(gcTimes, 0.5))} ms, p95 ${fixed(quantile(gcTimes, 0.95))} ms;` +
      ` edits without it: median ${fixed(quantile(withoutGc, 0.5))} ms, p95 ${fixed(quantile(withoutGc, 0.95))} ms`,
  );
}
for (const edit of edits.slice(0, Number(slowestArg))) {
  const end = edit.at + edit.ms;
  console.log(`\nedit at ${edit.at} ms: ${edit.ms} ms`);
  const overlapping = spans
    .filter((s) => s !== edit && s.at < end && s.at + s.ms > edit.at - 50)
    .sort((a, b) => a.at - b.at);
  for (const s of overlapping) {
    const { at, span, ms, ...detail } = s;
    const extra = Object.keys(detail).length > 0 ? ` ${JSON.stringify(detail)}` : '';
    console.log(`  ${(at - edit.at).toFixed(1).padStart(8)} ${String(ms).padStart(7)}  ${span}${extra}`);
  }
}
