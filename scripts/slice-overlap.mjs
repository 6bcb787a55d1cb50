// The edits that began during a sweep slice, by whether the slice left its firewalls (session 21):
// `node scripts/slice-overlap.mjs TRACE.jsonl` (NETCANVAS_TRACE of `pnpm bench:agent`). Prints, per group,
// the count, the edit's median and p90 (ms), its `edit.fresh` wait (median, p90) and the slice's median.
import fs from 'node:fs';
const spans = fs
  .readFileSync(process.argv[2], 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l));
const slices = spans.filter((s) => s.span === 'read' && s.kind === 'slice');
const left = spans.filter((s) => s.span === 'slice.firewallsLeft').map((s) => s.at);
const edits = spans.filter((s) => s.span === 'edit');
const fresh = spans.filter((s) => s.span === 'edit.fresh');
const groups = { left: [], read: [], none: [] };
for (const e of edits) {
  const sl = slices.find((s) => s.at <= e.at && s.at + s.ms > e.at);
  const f = fresh.find((x) => x.at >= e.at && x.at <= e.at + e.ms);
  const row = [e.ms, f?.ms ?? 0, sl ? sl.ms : 0];
  if (!sl) groups.none.push(row);
  else if (left.some((t) => t >= sl.at && t <= sl.at + sl.ms)) groups.left.push(row);
  else groups.read.push(row);
}
const med = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? s[Math.floor(s.length / 2)].toFixed(1) : '-';
};
const p90 = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length ? s[Math.floor(s.length * 0.9)].toFixed(1) : '-';
};
for (const [k, rows] of Object.entries(groups))
  console.log(
    k,
    rows.length,
    'edit',
    med(rows.map((r) => r[0])),
    p90(rows.map((r) => r[0])),
    'fresh',
    med(rows.map((r) => r[1])),
    p90(rows.map((r) => r[1])),
    'slice',
    med(rows.map((r) => r[2])),
  );
