import {
  applyReport,
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

/** The context's rules as the kernel has them now (one table, or all). */
async function rulesNow(target: Target, context: string, table?: string): Promise<ObservedRule[] | string> {
  const argv = ['iptables-save', '-c', ...(table !== undefined ? ['-t', table] : [])];
  const read = await run(inNamespace(target, context, argv), { timeoutMs: 10_000 });
  if (read.exitCode !== 0) return read.stderr.trim() || `iptables-save exited ${read.exitCode}`;
  return parseIptablesSave(read.stdout).rules;
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
      return applyReport({
        ok: false,
        done,
        failed: outcome,
        notRun: items.slice(i + 1).map(planned),
        durationMs: performance.now() - started,
      });
    done.push(outcome);
  }
  return applyReport({ ok: true, done, failed: null, notRun: [], durationMs: performance.now() - started });
}

const gone = (r: HandRule) => `that rule is no longer there: ${handRuleText(r.table, r.chain, r.args)}`;

/**
 * Replaces each rule made by hand, where it is now, with the lab's same rule: per namespace, one
 * read of its rules, then its replacements as one batch (`-R` moves no other rule, so positions
 * read once hold for the batch). `apply` runs steps (the lab's batches).
 */
export async function replaceHandRules(
  target: Target,
  rules: readonly HandRuleReplacement[],
  apply: (steps: Step[]) => Promise<ApplyReport>,
): Promise<ApplyReport> {
  const started = performance.now();
  const contexts = [...new Set(rules.map((r) => r.context))];
  const done: StepOutcome[] = [];
  const planned = (r: HandRuleReplacement) => replaceRuleStep(r, r.position, { packets: 0, bytes: 0 });
  for (const [i, context] of contexts.entries()) {
    const mine = rules.filter((r) => r.context === context);
    const later = () => rules.filter((r) => contexts.indexOf(r.context) > i).map(planned);
    const now = await rulesNow(target, context);
    const steps: Step[] = [];
    const taken = new Set<string>();
    for (const [j, r] of mine.entries()) {
      const found = typeof now === 'string' ? undefined : nearest(now, r, taken);
      if (!found) {
        const failed = {
          step: planned(r),
          exitCode: 1,
          stderr: typeof now === 'string' ? now : gone(r),
          durationMs: 0,
        };
        const notRun = [...mine.slice(j + 1).map(planned), ...later()];
        return applyReport({ ok: false, done, failed, notRun, durationMs: performance.now() - started });
      }
      steps.push(replaceRuleStep(r, found.at, found.rule));
    }
    const report = await apply(steps);
    done.push(...report.done);
    if (!report.ok)
      return applyReport({
        ...report,
        done,
        notRun: [...report.notRun, ...later()],
        durationMs: performance.now() - started,
      });
  }
  return applyReport({ ok: true, done, failed: null, notRun: [], durationMs: performance.now() - started });
}

/** The hand rule with these words nearest to where it was seen (unmoved: exactly there). */
function nearest(now: readonly ObservedRule[], r: HandRuleReplacement, taken: Set<string>) {
  const inChain = now.filter((x) => x.table === r.table && x.chain === r.chain);
  const found = inChain
    .map((rule, i) => ({ rule, at: i + 1 }))
    .filter(
      (x) => !x.rule.managed && same(x.rule.args, r.args) && !taken.has(`${r.table} ${r.chain} ${x.at}`),
    )
    .sort((x, y) => Math.abs(x.at - r.position) - Math.abs(y.at - r.position))[0];
  if (found) taken.add(`${r.table} ${r.chain} ${found.at}`);
  return found;
}

/** Deletes each rule made by hand, if the kernel still has exactly that rule, unmanaged. */
export function removeHandRules(target: Target, rules: readonly HandRule[]): Promise<ApplyReport> {
  return runChecked(target, rules, deleteRuleStep, async (r) => {
    const now = await rulesNow(target, r.context, r.table);
    if (typeof now === 'string') return { refused: now };
    // `-D` with words deletes the first rule with exactly these words: a rule of the lab's never
    // has them (it carries the comment), so only a rule made by hand can go.
    if (!now.some((x) => x.chain === r.chain && !x.managed && same(x.args, r.args)))
      return { refused: gone(r) };
    return { step: deleteRuleStep(r) };
  });
}
