import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { Lab, listSandboxes } from '@netcanvas/kernel';
import { bridgedTopology } from './topology-200';

/**
 * pnpm bench:kernel — for each size, build that many namespaces (bridges of 10) in a sandbox with
 * netcanvas (plan + batched apply), observe it whole, destroy it; and build the same with a naive
 * baseline (one `ip` process per command, sequential). The two alternate run by run, so each
 * comparison is taken in the same run. Prints medians and the ratios.
 *
 *   BENCH_SIZES=200,1000 (default)   namespaces per lab, each a multiple of 10
 *   BENCH_RUNS=3                     runs of each (netcanvas, naive) per size
 *   BENCH_NAIVE=0                    skip the naive baseline (about 30 s a run at 1,000)
 *   BENCH_LIVE=0                     skip the live observes (the agent's way)
 */
const SIZES = (process.env.BENCH_SIZES ?? '200,1000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const NAIVE = process.env.BENCH_NAIVE !== '0';
const LIVE = process.env.BENCH_LIVE !== '0';
for (const size of SIZES)
  if (!Number.isInteger(size) || size < 10 || size % 10 !== 0)
    throw new Error(`BENCH_SIZES: ${size} is not a multiple of 10 (bridges of 10 namespaces)`);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const labName = (tag: string, size: number, i: number) => `bench-${tag}${size}-${process.pid}-${i}`;
const load = () => loadavg()[0]?.toFixed(1) ?? '?';

type Doc = ReturnType<typeof bridgedTopology>;

/** The agent's way of observing: a session per namespace, started once, then kept. */
async function liveObserves(lab: Lab) {
  const live = await Lab.open({ lab: lab.name }, { create: false, mode: 'live' });
  try {
    let t = performance.now();
    await live.observe();
    const first = performance.now() - t;
    // Warm: what the agent reads when everything may have changed (links, addresses, routes,
    // forwarding, learned MACs of every namespace), then the same with every firewall too.
    const observer = live.observer();
    await observer.read('all', { firewall: 'all' });
    const warm: number[] = [];
    const warmWithFirewalls: number[] = [];
    for (let k = 0; k < 3; k++) {
      t = performance.now();
      await observer.read('all', { firewall: new Set() });
      warm.push(performance.now() - t);
      t = performance.now();
      await observer.read('all', { firewall: 'all' });
      warmWithFirewalls.push(performance.now() - t);
    }
    return { first, warm: median(warm), warmWithFirewalls: median(warmWithFirewalls) };
  } finally {
    await live.close();
  }
}

async function netcanvasRun(doc: Doc, i: number) {
  const lab = await Lab.open({ lab: labName('nc', doc.namespaces.length, i) }, { create: true });
  try {
    const loadBefore = load();
    let t = performance.now();
    const { plan, report } = await lab.converge(doc, { dryRun: false });
    const apply = performance.now() - t;
    if (!report?.ok) throw new Error(`apply failed: ${JSON.stringify(report?.failed)}`);
    t = performance.now();
    const observed = await lab.observe();
    const observe = performance.now() - t;
    const interfaces = observed.namespaces.reduce((n, ns) => n + ns.interfaces.length, 0);
    const live = LIVE ? await liveObserves(lab) : null;
    t = performance.now();
    const destroyed = await lab.destroy({ force: false });
    const destroy = performance.now() - t;
    if (!destroyed.sandboxRemoved) throw new Error(`destroy kept the sandbox: ${destroyed.kept.join(', ')}`);
    return {
      apply,
      observe,
      live,
      destroy,
      load: loadBefore,
      steps: plan.steps.length,
      namespaces: observed.namespaces.length,
      interfaces,
    };
  } catch (error) {
    await lab.destroy({ force: true });
    throw error;
  }
}

async function naiveRun(doc: Doc, i: number) {
  const lab = await Lab.open({ lab: labName('naive', doc.namespaces.length, i) }, { create: true });
  const dir = await mkdtemp(path.join(tmpdir(), 'netcanvas-bench-'));
  try {
    // The same commands netcanvas plans, but each as its own process.
    const plan = lab.plan(doc, await lab.observe());
    const file = path.join(dir, 'commands.json');
    await writeFile(file, JSON.stringify(plan.steps.map((s) => s.argv)));
    const runner = path.join(import.meta.dirname, 'naive-runner.mjs');
    const result = await lab.run('root', [process.execPath, runner, file]);
    if (result.exitCode !== 0) throw new Error(`naive baseline failed: ${result.stderr}`);
    return JSON.parse(result.stdout) as { ms: number; commands: number };
  } finally {
    await lab.destroy({ force: true });
    await rm(dir, { recursive: true, force: true });
  }
}

// Interrupted (Ctrl-C, a timeout): still remove this run's labs. `on`, not `once`: execa's exit
// hook kills the process at once if it finds itself the only listener left.
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => {
    // The run in progress fails once its lab is gone; its error must not end the process first.
    process.on('uncaughtException', () => undefined);
    void (async () => {
      for (const sandbox of await listSandboxes())
        if (sandbox.lab.startsWith('bench-') && sandbox.lab.includes(`-${process.pid}-`))
          await (
            await Lab.open({ lab: sandbox.lab }, { create: false })
          )
            .destroy({ force: true })
            .catch(() => undefined);
      process.exit(130);
    })();
  });

const fmt = (ms: number) => `${ms.toFixed(0).padStart(6)} ms`;
const all = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(' ');

async function benchSize(size: number) {
  const doc = bridgedTopology(size / 10, 10);
  const nc: Awaited<ReturnType<typeof netcanvasRun>>[] = [];
  const naive: Awaited<ReturnType<typeof naiveRun>>[] = [];
  for (let i = 0; i < RUNS; i++) {
    nc.push(await netcanvasRun(doc, i));
    if (NAIVE) naive.push(await naiveRun(doc, i));
    // Each run as it ends: a long run (the naive baseline takes minutes at 1,000) says something if stopped.
    const r = nc[i];
    process.stderr.write(
      `${size}: run ${i + 1}/${RUNS}: apply ${r?.apply.toFixed(0)} ms, destroy ${r?.destroy.toFixed(0)} ms` +
        (NAIVE ? `, naive ${naive[i]?.ms.toFixed(0)} ms` : '') +
        ` (load before ${r?.load}, now ${load()})\n`,
    );
  }
  const m = (pick: (r: (typeof nc)[number]) => number) => median(nc.map(pick));
  const apply = m((r) => r.apply);
  const destroy = m((r) => r.destroy);
  console.log(
    `\n${size} namespaces: ${doc.bridges.length} bridges, ${doc.links.length} veth pairs, ` +
      `${nc[0]?.steps} planned commands; observe sees ${nc[0]?.namespaces} namespaces, ${nc[0]?.interfaces} interfaces`,
  );
  console.log(
    `  medians of ${RUNS} runs, each in a fresh sandbox; load average before each: ${nc.map((r) => r.load).join(' ')}`,
  );
  console.log(
    `  apply (observe empty + plan + batched apply) ${fmt(apply)}   runs ${all(nc.map((r) => r.apply))}`,
  );
  if (NAIVE) {
    const naiveMs = median(naive.map((r) => r.ms));
    console.log(
      `  naive baseline (one ip process per command)  ${fmt(naiveMs)}   runs ${all(naive.map((r) => r.ms))}` +
        `  → netcanvas is ${(naiveMs / apply).toFixed(1)}x faster (target ≥ 6x)`,
    );
  }
  console.log(
    `  destroy                                      ${fmt(destroy)}   runs ${all(nc.map((r) => r.destroy))}` +
      `  → ${((100 * destroy) / apply).toFixed(0)} % of apply (target ≤ 20 %)`,
  );
  console.log(`  observe, whole lab, one-shot (the CLI, with iptables) ${fmt(m((r) => r.observe))}`);
  if (LIVE) {
    console.log(
      `  observe, live: first (starts ${size + 1} sessions)   ${fmt(m((r) => r.live?.first ?? 0))}`,
    );
    console.log(`  observe, live: warm (the agent)                ${fmt(m((r) => r.live?.warm ?? 0))}`);
    console.log(
      `    … and every namespace's iptables too         ${fmt(m((r) => r.live?.warmWithFirewalls ?? 0))}`,
    );
  }
}

for (const size of SIZES) await benchSize(size);
