/**
 * A kernel step: one command as a person would type it (an argv array, never a shell string),
 * where it runs, and why the planner wants it. The agent shows these in its command log.
 */
export interface Step {
  /** The network namespace the command acts in: a namespace name, or "root" for the lab's root. */
  context: string;
  /** The full command, e.g. ['ip', '-n', 'ns0', 'link', 'set', 'dev', 'veth0', 'up']. */
  argv: string[];
  /** Why: "missing", "address drift", "owned leftover", ... */
  reason: string;
}

/** What running a step did. */
export interface StepOutcome {
  step: Step;
  exitCode: number;
  stderr: string;
  durationMs: number;
}

/** A failed apply says exactly what was and was not done. */
export interface ApplyReport {
  ok: boolean;
  /** Steps that ran and succeeded. */
  done: StepOutcome[];
  /** The first step that failed, with the kernel's words. */
  failed: StepOutcome | null;
  /** Steps that were not run because of the failure. */
  notRun: Step[];
  durationMs: number;
}

/** Something the planner will not do because it would touch what netcanvas does not own. */
export interface PlanConflict {
  /** Where in the document the wish comes from, e.g. `links[0].a`. */
  path: string;
  message: string;
}

export interface Plan {
  steps: Step[];
  /** Wishes that cannot be met without touching what netcanvas does not own; apply refuses while any remain. */
  conflicts: PlanConflict[];
  /** Things left alone on purpose (e.g. an owned namespace kept because it holds interfaces made by hand). */
  notes: string[];
}

/**
 * Renders an argv array as a line a person can paste into a shell: a word with anything a shell
 * reads (a space in a LOG prefix, a quote, `$`) goes in single quotes. iptables' negation `!`, a
 * word of its own, stays bare as people type it (no shell reads a lone `!` as anything).
 */
export function shellQuote(argv: readonly string[]): string {
  return argv
    .map((arg) =>
      /^[A-Za-z0-9_./:@%+=,-]+$/.test(arg) || arg === '!' ? arg : `'${arg.replaceAll("'", `'\\''`)}'`,
    )
    .join(' ');
}
