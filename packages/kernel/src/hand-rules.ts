import {
  handRuleText,
  type ApplyReport,
  type ObservedRule,
  type Step,
  type StepOutcome,
} from '@netcanvas/model';
import { iptables } from './commands';
import { parseIptablesSave } from './parse-netfilter';
import { run } from './process';
import { inNamespace, inTarget, type Target } from './target';

/**
 * Acting on iptables rules made by hand, by position, safely. A rule is named by the words
 * iptables printed for it; just before acting, the chain is read again and the rule found among
 * its current rules, so a rule inserted, deleted or changed from a terminal since the agent's
 * last read never makes us replace or delete a different one. What is left is the few
 * milliseconds between that read and the command (iptables has no compare-and-replace).
 */

export interface HandRule {
  context: string;
  table: string;
  chain: string;
  /** The words after `-A CHAIN` of the rule as made by hand. */
  args: string[];
}

export interface HandRuleReplacement extends HandRule {
  /** Where it was seen (1-based, among all its chain's rules); the first match nearest to it wins. */
  position: number;
  /** The same rule as the lab writes it (with its comment). */
  replacement: string[];
}

const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** `iptables -t T -R CHAIN N -c PACKETS BYTES ARGS`: the rule replaced in place, its counters kept. */
export const replaceRuleStep = (
  r: HandRuleReplacement,
  at: number,
  counters: { packets: number; bytes: number },
) =>
  iptables(
    r.context,
    r.table,
    ['-R', r.chain, String(at), '-c', String(counters.packets), String(counters.bytes), ...r.replacement],
    "adopted: the same rule, in its place, with the lab's comment",
  );

/** `iptables -t T -D CHAIN ARGS`: deletes the first rule with exactly these words. */
export const deleteRuleStep = (r: HandRule): Step =>
  iptables(r.context, r.table, ['-D', r.chain, ...r.args], 'made by hand; removed from the editor');

/** The chain's rules as the kernel has them now. */
async function chainNow(target: Target, r: HandRule): Promise<ObservedRule[] | string> {
  const read = await run(inNamespace(target, r.context, ['iptables-save', '-c', '-t', r.table]), {
    timeoutMs: 10_000,
  });
  if (read.exitCode !== 0) return read.stderr.trim() || `iptables-save exited ${read.exitCode}`;
  return parseIptablesSave(read.stdout).rules.filter((x) => x.chain === r.chain);
}

/** Runs steps one by one, each checked first by `check`, stopping at the first that fails. */
async function runChecked<T>(
  target: Target,
  items: readonly T[],
  planned: (item: T) => Step,
  check: (item: T) => Promise<{ step: Step } | { refused: string }>,
): Promise<ApplyReport> {
  const started = performance.now();
  const done: StepOutcome[] = [];
  for (const [i, item] of items.entries()) {
    const checked = await check(item);
    const step = 'step' in checked ? checked.step : planned(item);
    const result =
      'refused' in checked
        ? { exitCode: 1, stderr: checked.refused, durationMs: 0 }
        : await run(inTarget(target, step.argv), { timeoutMs: 10_000 });
    const outcome = {
      step,
      exitCode: result.exitCode,
      stderr: result.stderr.trim(),
      durationMs: result.durationMs,
    };
    if (result.exitCode !== 0)
      return {
        ok: false,
        done,
        failed: outcome,
        notRun: items.slice(i + 1).map(planned),
        durationMs: performance.now() - started,
      };
    done.push(outcome);
  }
  return { ok: true, done, failed: null, notRun: [], durationMs: performance.now() - started };
}

const gone = (r: HandRule) => `that rule is no longer there: ${handRuleText(r.table, r.chain, r.args)}`;

/** Replaces each rule made by hand, where it is now, with the lab's same rule. */
export function replaceHandRules(
  target: Target,
  rules: readonly HandRuleReplacement[],
): Promise<ApplyReport> {
  const taken = new Set<string>();
  const planned = (r: HandRuleReplacement) => replaceRuleStep(r, r.position, { packets: 0, bytes: 0 });
  return runChecked(target, rules, planned, async (r) => {
    const now = await chainNow(target, r);
    if (typeof now === 'string') return { refused: now };
    const key = (at: number) => `${r.context} ${r.table} ${r.chain} ${at}`;
    // The hand rule with these words nearest to where it was seen (unmoved: exactly there).
    const found = now
      .map((rule, i) => ({ rule, at: i + 1 }))
      .filter((x) => !x.rule.managed && same(x.rule.args, r.args) && !taken.has(key(x.at)))
      .sort((x, y) => Math.abs(x.at - r.position) - Math.abs(y.at - r.position))[0];
    if (!found) return { refused: gone(r) };
    taken.add(key(found.at));
    return { step: replaceRuleStep(r, found.at, found.rule) };
  });
}

/** Deletes each rule made by hand, if the kernel still has exactly that rule, unmanaged. */
export function removeHandRules(target: Target, rules: readonly HandRule[]): Promise<ApplyReport> {
  return runChecked(target, rules, deleteRuleStep, async (r) => {
    const now = await chainNow(target, r);
    if (typeof now === 'string') return { refused: now };
    // `-D` with words deletes the first rule with exactly these words: a rule of the lab's never
    // has them (it carries the comment), so only a rule made by hand can go.
    if (!now.some((x) => !x.managed && same(x.args, r.args))) return { refused: gone(r) };
    return { step: deleteRuleStep(r) };
  });
}
