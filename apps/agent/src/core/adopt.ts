import { removeHandRuleSteps, adoptSteps, type HandRule, type Lab } from '@netcanvas/kernel';
import {
  applyEdits,
  expandAdopt,
  findHandRule,
  handRuleText,
  type AdoptCounts,
  type AdoptMarks,
  type ApplyReport,
  type Edit,
  type EditInput,
  type ObservedState,
  type Step,
  type Topology,
} from '@netcanvas/model';

/**
 * The edits that act on what was made by hand, for the writer and the CLI alike: `adopt` becomes
 * plain edits plus kernel marks; `removeHandRule` becomes a kernel step only, and only for a rule
 * the kernel has, unmanaged, with exactly those words (never a command from the client's words).
 */

export interface Expanded {
  /** The message's edits with each `adopt` replaced by what it means, and `removeHandRule` gone. */
  edits: EditInput[];
  marks: AdoptMarks;
  removals: HandRule[];
  /** What an adopt left as it is (it cannot be adopted), one sentence each. */
  left: string[];
  /** What the document gets, over every adopt of the message. */
  counts: AdoptCounts;
}

export type ExpandResult = { ok: true; value: Expanded } | { ok: false; message: string; path: string };

export const noMarks = (): AdoptMarks => ({ namespaces: [], interfaces: [], routes: [], rules: [] });

export const hasMarks = (m: AdoptMarks): boolean =>
  m.namespaces.length + m.interfaces.length + m.routes.length + m.rules.length > 0;

/** Replaces each `adopt` and `removeHandRule` with what it means, given what the kernel has. */
export function expandMessage(
  document: Topology,
  observed: ObservedState,
  edits: readonly Edit[],
): ExpandResult {
  const out: EditInput[] = [];
  const marks = noMarks();
  const removals: HandRule[] = [];
  const left: string[] = [];
  const counts: AdoptCounts = { namespaces: 0, bridges: 0, veths: 0, routes: 0, rules: 0 };
  let doc = document;
  for (const [i, edit] of edits.entries()) {
    const at = (path: string | undefined) => (path ?? 'edit').replace(/^edit/, `edits[${i}]`);
    if (edit.type === 'removeHandRule') {
      const { namespace, table, chain, args } = edit;
      const ns = observed.namespaces.find((n) => n.name === namespace);
      if (!findHandRule(ns, table, chain, args))
        return {
          ok: false,
          message: `that rule is no longer there: ${handRuleText(table, chain, args)}`,
          path: at('edit.args'),
        };
      removals.push({ context: namespace, table, chain, args });
      continue;
    }
    if (edit.type !== 'adopt') {
      out.push(edit);
      continue;
    }
    const plan = expandAdopt(doc, observed, edit);
    if (!plan.ok) {
      const issue = plan.issues[0];
      return { ok: false, message: issue?.message ?? 'cannot adopt', path: at(issue?.path) };
    }
    out.push(...plan.value.edits);
    marks.namespaces.push(...plan.value.namespaces);
    marks.interfaces.push(...plan.value.interfaces);
    marks.routes.push(...plan.value.routes);
    marks.rules.push(...plan.value.rules);
    left.push(...plan.value.left);
    for (const key of Object.keys(counts) as (keyof AdoptCounts)[]) counts[key] += plan.value.counts[key];
    // Later adopts in the same message build on this one (a namespace, then its veth).
    const applied = applyEdits(doc, plan.value.edits);
    if (applied.ok) doc = applied.value;
  }
  return { ok: true, value: { edits: out, marks, removals, left, counts } };
}

/** Namespaces whose firewall must be read before these edits are expanded (iptables raises no event). */
export function firewallsToRead(observed: ObservedState | null, edits: readonly Edit[]): string[] {
  const names: string[] = [];
  for (const edit of edits) {
    if (edit.type === 'adopt' && edit.all === true)
      names.push(...(observed?.namespaces ?? []).map((n) => n.name));
    else if ((edit.type === 'adopt' || edit.type === 'removeHandRule') && edit.namespace !== undefined)
      names.push(edit.namespace);
  }
  return names;
}

/**
 * Runs the kernel part: the marks (so the adopted things are the lab's), then the removals.
 * `run` writes the audit log around each (pending first). Null when there was nothing to run.
 */
export async function markAndRemove(
  lab: Lab,
  expanded: Expanded,
  run: (steps: readonly Step[], apply: () => Promise<ApplyReport>) => Promise<ApplyReport>,
): Promise<ApplyReport | null> {
  let report: ApplyReport | null = null;
  if (hasMarks(expanded.marks))
    report = await run(adoptSteps(expanded.marks), () => lab.adopt(expanded.marks));
  if ((report === null || report.ok) && expanded.removals.length > 0)
    report = await run(removeHandRuleSteps(expanded.removals), () => lab.removeHandRules(expanded.removals));
  return report;
}
