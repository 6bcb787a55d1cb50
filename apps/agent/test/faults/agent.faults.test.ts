import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, listSandboxes } from '@netcanvas/kernel';
import { FaultRun, Violation, executionOrder, type ProcessRecorder } from './fault-run';
import { describeStep, stepsGen, type Step } from './steps';

/**
 * The fault suite (issue 8): a real agent, a real editor over `ws`, and a terminal inside the lab
 * changing things behind the agent's back, while its helper processes get killed and the agent
 * restarts. fast-check generates the interleavings; fault-run.ts runs them and checks the
 * invariants after every step. See docs/reliability.md.
 *
 *   FAULT_SEED=n        the seed (default: random, printed; with CI=true a fixed one that held)
 *   FAULT_PATH=a:b:c    replay one counterexample (with its seed and FAULT_STEPS)
 *   FAULT_RUNS=n        property runs (default 4), each on a fresh agent and lab
 *   FAULT_STEPS=n       steps per run (default 60)
 *   FAULT_TIME_LIMIT=s  stop generating and shrinking after this many seconds (default 360)
 */

const envInt = (name: string, fallback: number): number => {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a whole number, not "${text}"`);
  return n;
};

/**
 * CI runs a seed whose 4 × 60 steps held every invariant when it was chosen, so a red CI is a
 * regression someone can replay, not a new find of the day; everywhere else each run explores a
 * new seed (and `FAULT_SEED` picks one; `CI=true FAULT_SEED=… ` too).
 */
const CI_SEED = 1592725516;
const SEED = envInt('FAULT_SEED', process.env.CI ? CI_SEED : Math.floor(Math.random() * 0x7fffffff));
const PATH = process.env.FAULT_PATH || undefined;
const RUNS = envInt('FAULT_RUNS', 4);
const STEPS = envInt('FAULT_STEPS', 60);
const TIME_LIMIT_S = envInt('FAULT_TIME_LIMIT', 360);

// The agent runs in this process: anything it leaves unhandled lands here, and fails the run.
const events: string[] = [];
const recorder: ProcessRecorder = { events };
const onRejection = (reason: unknown) =>
  events.push(
    `unhandledRejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`,
  );
const onException = (error: Error) => events.push(`uncaughtException: ${error.stack ?? error.message}`);

beforeAll(() => {
  process.on('unhandledRejection', onRejection);
  process.on('uncaughtException', onException);
});
afterAll(() => {
  process.off('unhandledRejection', onRejection);
  process.off('uncaughtException', onException);
});

/** A lab of this suite left behind by an agent that failed to start (a finished run removes its own). */
async function removeLeftoverLabs(): Promise<void> {
  const prefix = `t-${process.env.NETCANVAS_TEST_RUN ?? 'x'}-faults-`;
  for (const sandbox of await listSandboxes())
    if (sandbox.lab.startsWith(prefix))
      await (
        await Lab.open({ lab: sandbox.lab }, { create: false }).catch(() => null)
      )?.destroy({ force: true });
}

describe('the agent under faults', () => {
  it(
    `keeps its invariants through ${RUNS} runs of ${STEPS} random steps`,
    async () => {
      const started = performance.now();
      console.log(
        `fault suite: FAULT_SEED=${SEED}${PATH ? ` FAULT_PATH=${PATH}` : ''} FAULT_RUNS=${RUNS} FAULT_STEPS=${STEPS}`,
      );
      let executions = 0;
      let firstFailureAt: number | null = null;
      let stepsPassed = 0;
      let runsPassed = 0;
      type Failure = { steps: Step[]; trace: string[]; error: unknown; failedAt: number | null };
      let lastFailure: Failure | null = null;

      const property = fc.asyncProperty(stepsGen(STEPS), async (steps) => {
        const n = executions++;
        const label =
          PATH !== undefined
            ? `replay FAULT_PATH=${PATH}`
            : firstFailureAt === null
              ? `run ${n + 1}/${RUNS} (FAULT_SEED=${SEED} FAULT_PATH=${n})`
              : `shrink ${n - firstFailureAt}`;
        const t0 = performance.now();
        const run = new FaultRun(recorder);
        try {
          const { executed } = await run.run(steps);
          if (firstFailureAt === null) {
            stepsPassed += executed;
            runsPassed++;
          }
          console.log(
            `${label}: ${executed} steps held every invariant (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
          );
        } catch (error) {
          firstFailureAt ??= n;
          lastFailure = { steps, trace: run.trace, error, failedAt: run.failedAt };
          const first = (error instanceof Error ? error.message : String(error)).split('\n')[0];
          console.log(
            `${label}: FAILED after ${((performance.now() - t0) / 1000).toFixed(1)} s (${steps.filter((s) => s.kind !== 'noop').length} steps): ${first}`,
          );
          throw error;
        } finally {
          await removeLeftoverLabs();
        }
      });

      const result = await fc.check(property, {
        seed: SEED,
        numRuns: RUNS,
        ...(PATH !== undefined ? { path: PATH, endOnFailure: true } : {}),
        // Runs (and shrinks) after the limit are skipped; a run under way is never cut short (it
        // owns an agent and a lab). Running out of time before every run was done fails below.
        skipAllAfterTimeLimit: TIME_LIMIT_S * 1000,
      });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);

      if (!result.failed && runsPassed < RUNS)
        throw new Error(
          `fault suite: out of time (FAULT_TIME_LIMIT=${TIME_LIMIT_S} s) after ${runsPassed} of ${RUNS} runs (${stepsPassed} steps); FAULT_SEED=${SEED}`,
        );
      if (!result.failed) {
        console.log(
          `fault suite: ${runsPassed} runs, ${stepsPassed} steps, every invariant held (${seconds} s)`,
        );
        expect(events).toEqual([]);
        return;
      }
      const failure = lastFailure as Failure | null;
      // The steps as they ran, up to the one that failed (the rest never ran).
      const ran = executionOrder(failure?.steps ?? result.counterexample?.[0] ?? [])
        .map((step, i) => ({ step, i }))
        .filter(
          ({ step, i }) => step.kind !== 'noop' && (failure?.failedAt == null || i <= failure.failedAt),
        );
      const message = [
        failure === null
          ? `fault suite: the property failed without a run failing (${runsPassed} of ${RUNS} runs passed): ${String(result.errorInstance)}`
          : `fault suite: an invariant failed (${result.numShrinks} shrinks, ${seconds} s)`,
        `replay: FAULT_SEED=${result.seed} FAULT_PATH=${result.counterexamplePath ?? PATH ?? ''} FAULT_STEPS=${STEPS} pnpm test:faults`,
        '',
        failure
          ? failure.error instanceof Violation
            ? failure.error.message
            : `the run threw: ${failure.error instanceof Error ? (failure.error.stack ?? failure.error.message) : String(failure.error)}`
          : '',
        '',
        `counterexample (${ran.length} steps, in the order they ran${failure?.failedAt == null ? '' : `; #${failure.failedAt} failed`}):`,
        ...ran.map(({ step, i }) => `  #${i} ${describeStep(step)}`),
        '',
        'what the last failing run did:',
        ...(failure?.trace ?? []).map((line) => `  ${line}`),
      ].join('\n');
      throw new Error(message);
    },
    (TIME_LIMIT_S + 150) * 1000,
  );
});
