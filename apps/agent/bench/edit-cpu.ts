import type { Lab } from '@netcanvas/kernel';
import {
  applyEdits,
  validateTopology,
  type EditInput,
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
  const checked = validateTopology(document);
  if (!checked.ok) throw new Error('the welcome’s document does not validate');
  const doc = checked.value;
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
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]?.toFixed(1);
  return (
    `applyEdits by what changed ${median(byChanges)} ms, the whole document ${median(whole)} ms; ` +
    `plan ${median(plans)} ms (medians of ${rounds})`
  );
}
