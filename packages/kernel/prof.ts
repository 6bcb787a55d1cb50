import { Lab } from '@netcanvas/kernel';
import { waves } from './src/apply';
import { bridgedTopology } from './bench/topology-200';
const lab = await Lab.open({ lab: 'prof' }, { create: true });
const doc = bridgedTopology(20, 10);
const plan = lab.plan(doc, await lab.observe());
const ws = waves(plan.steps);
console.log(ws.map((w) => `${w[0]?.context === 'root' ? 'root' : 'ns'}:${w.length}`));
for (const w of ws) {
  const t = performance.now();
  const r = await lab.apply({ steps: w, conflicts: [], notes: [] });
  console.log('wave', w.length, (performance.now() - t).toFixed(0), 'ms', r.ok);
}
const t = performance.now();
await lab.observe();
console.log('observe', (performance.now() - t).toFixed(0));
await lab.destroy({ force: true });
