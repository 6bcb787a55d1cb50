import {
  ROOT,
  applyReport,
  type ApplyReport,
  type IpOperation,
  type Step,
  type StepOutcome,
} from '@netcanvas/model';
import { NOT_STARTED, type BatchResult, type NamespaceIo } from './io';
import { traceSpan } from './trace';

/**
 * Runs planned steps fast and honestly. Consecutive steps in the lab's root go as one batch to the
 * root's `ip -batch` session; consecutive steps inside namespaces go as one batch per namespace to
 * that namespace's session, a few namespaces at a time (steps in different namespaces commute; the
 * planner orders them so). A session stops at its first failing line and names it
 * (`Command failed -:N`), so the report says exactly which steps were done, which failed, and
 * which never ran.
 */

export interface ApplyHooks {
  /** Called before a root batch that deletes these namespaces (to end processes still in them). */
  beforeNetnsDelete?: (names: string[]) => Promise<void>;
}

interface BatchOutcome {
  outcomes: StepOutcome[];
  failed: StepOutcome | null;
  notRun: Step[];
}

/**
 * The one renderer of a step's `ip -batch` line, for its context's session: an ip step's words
 * after `ip [-n NS]`; a tool in a namespace as `netns exec NS TOOL …` (in the root's session).
 * Each word as `ip -batch` reads it.
 */
export function batchLine(step: Step): string {
  if (isPlainStep(step))
    throw new Error(`${step.op} in the lab's root is not an ip command: it runs on its own`);
  const words = 'namespace' in step ? ['netns', 'exec', step.namespace, step.op, ...step.args] : step.args;
  return words.map(batchWord).join(' ');
}

/**
 * One word of an `ip -batch` line. ip splits a line at blanks, except in a word that begins with a
 * quote, which runs to the same quote (no escapes); "#" starts a comment anywhere, and a newline
 * a new command. So a word with a blank or a quote (a LOG prefix like "DROP IN: ") is quoted with
 * the quote it does not hold; a word that cannot be said is refused.
 */
export function batchWord(arg: string): string {
  const unsafe = () => new Error(`unsafe batch argument ${JSON.stringify(arg)}`);
  if (arg === '' || /[\n\r\\#]/.test(arg)) throw unsafe();
  if (!/[\s"']/.test(arg)) return arg;
  if (!arg.includes('"')) return `"${arg}"`;
  if (!arg.includes("'")) return `'${arg}'`;
  throw unsafe();
}

/** Turns each context's batch result into step outcomes. */
function toBatchResult(steps: Step[], result: BatchResult | undefined): BatchOutcome {
  const perStep = result === undefined || result === 'not-run' ? 0 : result.durationMs / steps.length;
  const ok = (step: Step): StepOutcome => ({ step, exitCode: 0, stderr: '', durationMs: perStep });
  if (result === undefined || result === 'not-run') return { outcomes: [], failed: null, notRun: steps };
  if (result.ok) return { outcomes: steps.map(ok), failed: null, notRun: [] };
  return {
    outcomes: steps.slice(0, result.failedIndex).map(ok),
    failed: {
      step: steps[result.failedIndex] as Step,
      exitCode: result.exitCode,
      stderr: result.stderr,
      durationMs: perStep,
    },
    notRun: steps.slice(result.failedIndex + 1),
  };
}

/**
 * A step that is not an `ip` command (`iptables` in the lab's root): it cannot join an `ip -batch`
 * session, so it runs as a process of its own, in the order planned.
 */
export const isPlainStep = (step: Step): boolean => 'namespace' in step && step.namespace === ROOT;

/** Splits steps into waves: runs of root steps, runs of in-namespace steps, and runs of plain steps. */
export function waves(steps: readonly Step[]): Step[][] {
  const kind = (step: Step) => (isPlainStep(step) ? 'plain' : step.context === ROOT ? 'root' : 'ns');
  const out: Step[][] = [];
  for (const step of steps) {
    const last = out.at(-1);
    if (last?.[0] && kind(last[0]) === kind(step)) last.push(step);
    else out.push([step]);
  }
  return out;
}

/** Runs plain steps one after another; the first that fails stops the rest. */
async function runPlain(io: NamespaceIo, wave: Step[], done: StepOutcome[]): Promise<BatchOutcome> {
  for (const [i, step] of wave.entries()) {
    const result = await io.exec(step.context, step.argv);
    const outcome = { step, exitCode: result.exitCode, stderr: result.stderr, durationMs: result.durationMs };
    if (result.exitCode !== 0) return { outcomes: [], failed: outcome, notRun: wave.slice(i + 1) };
    done.push(outcome);
  }
  return { outcomes: [], failed: null, notRun: [] };
}

/**
 * A delete whose object is already gone did what it was for: success, as CNI plugins treat it
 * (a namespace deleted by hand takes its veths with it a moment later, for example).
 */
export function alreadyGone(outcome: StepOutcome): boolean {
  const op = outcome.step.op;
  // Another line's error, not this step's: nothing says what it deletes is gone.
  if (outcome.stderr.startsWith(NOT_STARTED)) return false;
  // `netns set NAME auto` on a namespace that has an id already (adopting one that got it by
  // hand, or from an earlier try) did what it was for, like a delete of what is gone.
  if (op === 'netnsSetAuto' && /already has a nsid assigned/.test(outcome.stderr)) return true;
  const deleting = (IP_DELETES as readonly string[]).includes(op);
  // `route del` of a route that is not there: "RTNETLINK answers: No such process" (ESRCH). An
  // `addr del` of a secondary address the kernel took along with its primary (deleted just
  // before, to add it back: plan.ts): "Error: ipv4: Address not found."
  return (
    deleting &&
    /Cannot find device|No such device|does not exist|No such file|Cannot assign requested address|No such process|Address not found/.test(
      outcome.stderr,
    )
  );
}

/** ip operations that delete: done already if what they delete is gone. */
const IP_DELETES: readonly IpOperation[] = ['linkDel', 'addrDel', 'netnsDel', 'routeDel', 'ruleDel'];

/** Runs one wave; a batch stopped by a delete of something already gone goes on after it. */
async function runWave(io: NamespaceIo, wave: Step[], done: StepOutcome[]): Promise<BatchOutcome[]> {
  let pending = new Map<string, Step[]>();
  for (const step of wave) {
    const list = pending.get(step.context);
    if (list) list.push(step);
    else pending.set(step.context, [step]);
  }
  const final: BatchOutcome[] = [];
  while (pending.size > 0) {
    const ran = await io.runBatches(
      [...pending].map(([context, list]) => ({ context, lines: list.map(batchLine) })),
    );
    const again = new Map<string, Step[]>();
    for (const [context, list] of pending) {
      const result = toBatchResult(list, ran.get(context));
      done.push(...result.outcomes);
      if (result.failed && alreadyGone(result.failed)) {
        done.push({ ...result.failed, exitCode: 0, stderr: `already gone: ${result.failed.stderr}` });
        if (result.notRun.length > 0) again.set(context, result.notRun);
      } else final.push(result);
    }
    pending = again;
  }
  return final;
}

const deletesLink = (step: Step) => (step.effect.deletesLinks?.length ?? 0) > 0;

/**
 * Splits a wave after its last `link del`, so that the sessions are renewed between the deletes
 * and what follows (see NamespaceIo.renewSessions). Plans delete before they make, so this keeps
 * each context's order; a wave without a delete stays whole.
 */
export function splitAfterLinkDeletes(wave: Step[]): Step[][] {
  const last = wave.findLastIndex(deletesLink);
  if (last < 0 || last === wave.length - 1) return [wave];
  return [wave.slice(0, last + 1), wave.slice(last + 1)];
}

export async function applySteps(
  io: NamespaceIo,
  steps: readonly Step[],
  hooks: ApplyHooks = {},
): Promise<ApplyReport> {
  const started = performance.now();
  const done: StepOutcome[] = [];
  const all = waves(steps).flatMap(splitAfterLinkDeletes);
  for (let w = 0; w < all.length; w++) {
    const wave = all[w] as Step[];
    if (wave[0]?.context === ROOT) {
      const deleting = wave.flatMap((s) => s.effect.deletesNamespace ?? []);
      if (deleting.length > 0) await hooks.beforeNetnsDelete?.(deleting);
    }
    const running = performance.now();
    const results =
      wave[0] && isPlainStep(wave[0]) ? [await runPlain(io, wave, done)] : await runWave(io, wave, done);
    traceSpan(`apply.wave`, running, {
      context: wave[0]?.context === ROOT ? 'root' : 'namespaces',
      steps: wave.length,
    });
    if (wave.some(deletesLink)) io.renewSessions();
    const failures = results.filter((r) => r.failed !== null);
    const first = failures[0]?.failed;
    if (first) {
      // Other namespaces' failures in the same wave: their failing step counts as not done.
      const notRun = [
        ...failures.flatMap((r) => (r.failed && r.failed !== first ? [r.failed.step] : [])),
        ...results.flatMap((r) => r.notRun),
        ...all.slice(w + 1).flat(),
      ];
      return applyReport({ ok: false, done, failed: first, notRun, durationMs: performance.now() - started });
    }
  }
  return applyReport({ ok: true, done, failed: null, notRun: [], durationMs: performance.now() - started });
}
