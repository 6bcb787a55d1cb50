import { loadavg } from 'node:os';
import { ROOT } from '@netcanvas/model';
import { Lab } from '../src/lab';
import { benchToggles } from '../src/bench-toggles';
import { namespaceIo } from '../src/io';
import { SessionPool } from '../src/pool';

/**
 * A new namespace's first lines (lo up, an address, eth0 up: what an edit adding a namespace and a
 * veth runs in it), in a sandbox lab of BENCH_NAMESPACES (200) other namespaces, timed from the
 * call to the batch's end, in turns (same run, same lab, same load):
 * - `via-root`: three `netns exec NS ip …` lines in the root's session (as the agent runs them);
 * - `own-session`: in a session of its own that the apply spawns (tried 2026-12-02; the read after
 *   the apply would use it).
 * `tsx packages/kernel/bench/new-namespace-lines.ts`; BENCH_TRIALS (20) of each.
 */
const SIZE = Number(process.env.BENCH_NAMESPACES ?? 200);
const TRIALS = Number(process.env.BENCH_TRIALS ?? 20);
const WAYS = ['via-root', 'own-session'] as const;

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
};
const load = () => loadavg()[0]?.toFixed(1);

const lab = await Lab.open({ lab: `bench-newns-${process.pid}` }, { create: true, mode: 'live' });
const pool = new SessionPool(lab.target);
const io = namespaceIo('live', lab.target, pool);

/** Runs one batch in the lab; a failing line ends the benchmark. */
async function batch(context: string, lines: string[]): Promise<void> {
  const result = (await io.runBatches([{ context, lines }])).get(context);
  if (!result || result === 'not-run' || !result.ok) throw new Error(`${context}: ${JSON.stringify(result)}`);
}

try {
  // The lab's other namespaces: each is a mount in /run/netns, which every `netns exec` copies.
  for (let i = 0; i < SIZE; i += 100)
    await batch(
      ROOT,
      Array.from({ length: Math.min(100, SIZE - i) }, (_, k) => `netns add b${i + k}`),
    );
  console.log(`a new namespace's 3 lines, ${SIZE} namespaces in the lab (load ${load()} at the start)`);
  const times = new Map<string, number[]>(WAYS.map((way) => [way, []]));
  for (let t = 0; t < 2 * TRIALS; t++) {
    const way = WAYS[t % 2] as (typeof WAYS)[number];
    benchToggles.newNamespaceLines = way;
    const ns = `n${t}`;
    await batch(ROOT, [`netns add ${ns}`, `link add r${t} type veth peer name eth0 netns ${ns}`]);
    const started = performance.now();
    await batch(ns, ['link set dev lo up', `addr add 10.9.${t}.2/24 dev eth0`, 'link set dev eth0 up']);
    times.get(way)?.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const [way, xs] of times)
    console.log(
      `  ${way}: median ${quantile(xs, 0.5).toFixed(1)} ms, p95 ${quantile(xs, 0.95).toFixed(1)} ms over ${xs.length}`,
    );
  console.log(`  (load ${load()} at the end)`);
} finally {
  benchToggles.newNamespaceLines = 'via-root';
  await pool.closeAll();
  await lab.destroy({ force: true });
}
