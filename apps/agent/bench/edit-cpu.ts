import type { Lab } from '@netcanvas/kernel';
import {
  applyEdits,
  validateTopology,
  type EditInput,
  type ObservedInterface,
  type ObservedPeer,
  type ObservedState,
  type Topology,
} from '@netcanvas/model';

/**
 * An edit's CPU in the agent before anything runs, measured in the same run both ways: the
 * check by what the edit changed (validate-edited.ts) against the whole document's (the old way:
 * a copy no check has seen), and the plan against the live state. On the agent's own document and
 * observed state, so the figures are the lab's size as the benchmark built it.
 */
export function editCpu(
  document: Topology,
  observed: ObservedState,
  lab: Pick<Lab, 'plan'>,
  edit: (i: number) => EditInput[],
  rounds = 30,
): string {
  const doc = checkedDocument(document);
  const byChanges: number[] = [];
  const whole: number[] = [];
  const plans: number[] = [];
  for (let i = 0; i < rounds; i++) {
    // Alternated, so that the machine's moments fall on both ways alike.
    let t = performance.now();
    const next = applyEdits(doc, edit(500 + i));
    byChanges.push(performance.now() - t);
    t = performance.now();
    const old = applyEdits(structuredClone(doc), edit(500 + i));
    whole.push(performance.now() - t);
    if (!next.ok || !old.ok) throw new Error(JSON.stringify(next.ok ? old : next));
    t = performance.now();
    lab.plan(next.value, observed);
    plans.push(performance.now() - t);
  }
  return (
    `applyEdits by what changed ${median(byChanges)} ms, the whole document ${median(whole)} ms; ` +
    `plan ${median(plans)} ms (medians of ${rounds})`
  );
}

/**
 * The plan on the same observed state with its interfaces built two ways, alternated in the same
 * run: as the observer builds them now (`withKeys`: one hidden class for all) and as it built them
 * before (`{ ...rest, peer }`: on Node 20's V8, a class for each). docs/benchmarks.md, "One hidden
 * class per interface".
 */
export function shapesCpu(
  document: Topology,
  observed: ObservedState,
  lab: Pick<Lab, 'plan'>,
  edit: (i: number) => EditInput[],
  rounds = 30,
): string {
  const doc = checkedDocument(document);
  const rebuilt = (
    make: (rest: Omit<ObservedInterface, 'peer'>, peer: ObservedPeer | null) => ObservedInterface,
  ) => ({
    ...observed,
    namespaces: observed.namespaces.map((ns) => ({
      ...ns,
      interfaces: ns.interfaces.map(({ peer, ...rest }) => make(rest, peer)),
    })),
  });
  const ways = {
    'one class (now)': rebuilt((rest, peer) => Object.assign({}, rest, { peer })),
    'a class each (before)': rebuilt((rest, peer) => ({ ...rest, peer })),
  };
  const times = new Map<string, number[]>(Object.keys(ways).map((k) => [k, []]));
  for (let i = 0; i < rounds; i++) {
    const next = applyEdits(doc, edit(600 + i));
    if (!next.ok) throw new Error(JSON.stringify(next));
    for (const [name, state] of Object.entries(ways)) {
      const t = performance.now();
      lab.plan(next.value, state);
      times.get(name)?.push(performance.now() - t);
    }
  }
  return [...times].map(([name, xs]) => `${name} ${median(xs)} ms`).join(', ') + ` (medians of ${rounds})`;
}

function checkedDocument(document: Topology): Topology {
  const checked = validateTopology(document);
  if (!checked.ok) throw new Error('the welcome’s document does not validate');
  return checked.value;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]?.toFixed(1);
