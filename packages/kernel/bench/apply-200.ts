import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Lab, listSandboxes, run } from '@netcanvas/kernel';
import { bridgedTopology } from './topology-200';

/**
 * pnpm bench:kernel — build 200 namespaces (20 bridges × 10) in a sandbox with netcanvas (plan +
 * batched apply), observe it whole, destroy it; and build the same with a naive baseline (one `ip`
 * process per command, sequential). Prints medians of several runs and the ratios.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const doc = bridgedTopology(20, 10);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const labName = (tag: string, i: number) => `bench-${tag}-${process.pid}-${i}`;

async function netcanvasRun(i: number) {
  const lab = await Lab.open({ lab: labName('nc', i) }, { create: true });
  try {
    let t = performance.now();
    const { plan, report } = await lab.converge(doc, { dryRun: false });
    const apply = performance.now() - t;
    if (!report?.ok) throw new Error(`apply failed: ${JSON.stringify(report?.failed)}`);
    t = performance.now();
    const observed = await lab.observe();
    const observe = performance.now() - t;
    const interfaces = observed.namespaces.reduce((n, ns) => n + ns.interfaces.length, 0);
    // The agent's way: a session per namespace, started once, then kept.
    const live = await Lab.open({ lab: lab.name }, { create: false, mode: 'live' });
    t = performance.now();
    await live.observe();
    const liveFirst = performance.now() - t;
    // Warm: what the agent reads when everything may have changed (links, addresses, routes,
    // forwarding, learned MACs of every namespace), then the same with every firewall too.
    const observer = live.observer();
    await observer.read('all', { firewall: 'all' });
    const warm: number[] = [];
    const warmWithFirewalls: number[] = [];
    for (let k = 0; k < 5; k++) {
      t = performance.now();
      await observer.read('all', { firewall: new Set() });
      warm.push(performance.now() - t);
      t = performance.now();
      await observer.read('all', { firewall: 'all' });
      warmWithFirewalls.push(performance.now() - t);
    }
    await live.close();
    t = performance.now();
    const destroyed = await lab.destroy({ force: false });
    const destroy = performance.now() - t;
    if (!destroyed.sandboxRemoved) throw new Error('destroy kept the sandbox');
    return {
      apply,
      observe,
      liveFirst,
      liveWarm: median(warm),
      liveWarmFirewalls: median(warmWithFirewalls),
      destroy,
      steps: plan.steps.length,
      namespaces: observed.namespaces.length,
      interfaces,
    };
  } catch (error) {
    await lab.destroy({ force: true });
    throw error;
  }
}

async function naiveRun(i: number) {
  const lab = await Lab.open({ lab: labName('naive', i) }, { create: true });
  const dir = await mkdtemp(path.join(tmpdir(), 'netcanvas-bench-'));
  try {
    // The same commands netcanvas plans, but each as its own process.
    const plan = lab.plan(doc, await lab.observe());
    const file = path.join(dir, 'commands.json');
    await writeFile(file, JSON.stringify(plan.steps.map((s) => s.argv)));
    const runner = path.join(import.meta.dirname, 'naive-runner.mjs');
    const result = await run(lab.execArgv('root', [process.execPath, runner, file]));
    if (result.exitCode !== 0) throw new Error(`naive baseline failed: ${result.stderr}`);
    return JSON.parse(result.stdout) as { ms: number; commands: number };
  } finally {
    await lab.destroy({ force: true });
    await rm(dir, { recursive: true, force: true });
  }
}

const nc: Awaited<ReturnType<typeof netcanvasRun>>[] = [];
const naive: Awaited<ReturnType<typeof naiveRun>>[] = [];
// Interrupted (Ctrl-C, a timeout). `on`, not `once`: execa's exit hook kills the process at once
// if it finds itself the only listener left.
// still remove this run's labs.
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

for (let i = 0; i < RUNS; i++) {
  nc.push(await netcanvasRun(i));
  naive.push(await naiveRun(i));
  process.stderr.write(`run ${i + 1}/${RUNS} done\n`);
}
const m = {
  apply: median(nc.map((r) => r.apply)),
  observe: median(nc.map((r) => r.observe)),
  liveFirst: median(nc.map((r) => r.liveFirst)),
  liveWarm: median(nc.map((r) => r.liveWarm)),
  liveWarmFirewalls: median(nc.map((r) => r.liveWarmFirewalls)),
  destroy: median(nc.map((r) => r.destroy)),
  naive: median(naive.map((r) => r.ms)),
};
const fmt = (ms: number) => `${ms.toFixed(0).padStart(6)} ms`;
console.log(
  `netcanvas kernel benchmark: ${doc.namespaces.length} namespaces, ${doc.bridges.length} bridges, ${doc.links.length} veth pairs`,
);
console.log(
  `  ${nc[0]?.steps} planned commands; observe sees ${nc[0]?.namespaces} namespaces, ${nc[0]?.interfaces} interfaces`,
);
console.log(`  medians of ${RUNS} runs (each in a fresh sandbox)`);
console.log(`  apply (observe empty + plan + batched apply) ${fmt(m.apply)}`);
console.log(
  `  naive baseline (one ip process per command)  ${fmt(m.naive)}   → netcanvas is ${(m.naive / m.apply).toFixed(1)}x faster (target ≥ 4x)`,
);
console.log(`  observe, whole lab, one-shot (the CLI, with iptables)       ${fmt(m.observe)}`);
console.log(`  observe, whole lab, live: first (starts 201 sessions) ${fmt(m.liveFirst)}`);
console.log(`  observe, whole lab, live: warm (the agent)   ${fmt(m.liveWarm)}   (target < 250 ms)`);
console.log(`    … and every namespace's iptables too       ${fmt(m.liveWarmFirewalls)}`);
console.log(`  destroy                                      ${fmt(m.destroy)}   (target < 1000 ms)`);
console.log(
  `  all runs: apply ${nc.map((r) => r.apply.toFixed(0)).join(' ')} | naive ${naive.map((r) => r.ms.toFixed(0)).join(' ')} | observe ${nc.map((r) => r.observe.toFixed(0)).join(' ')} | live warm ${nc.map((r) => r.liveWarm.toFixed(0)).join(' ')} | destroy ${nc.map((r) => r.destroy.toFixed(0)).join(' ')}`,
);
