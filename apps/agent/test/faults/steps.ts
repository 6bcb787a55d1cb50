import fc from 'fast-check';

/**
 * The steps of a fault run, as plain data. A step never names a namespace or an interface itself:
 * it carries small numbers (`a`, `b`, `c`) that the driver turns into names against the run's
 * model when the step runs (pick the a-th namespace the document has, ...). So every generated
 * sequence is meaningful whatever came before it, and shrinking (dropping steps, or turning them
 * into `noop`) keeps the rest meaningful too.
 */

export const EDIT_OPS = [
  'addNamespace',
  'removeNamespace',
  'connect',
  'disconnect',
  'setInterface',
  'addBridge',
  'removeBridge',
  'setPosition',
  'adopt',
  'setNamespace',
] as const;
export type EditOp = (typeof EDIT_OPS)[number];

export interface EditGen {
  op: EditOp;
  /** false: the driver makes this edit invalid on purpose (bad name, missing node, bad address...). */
  valid: boolean;
  a: number;
  b: number;
  c: number;
}

export const TERMINAL_OPS = [
  'netnsAdd',
  'netnsDel',
  'shortLivedNetns',
  'linkDown',
  'linkUp',
  'linkDel',
  'linkRename',
  'linkMove',
  'addrAdd',
  'iptablesFlush',
  'handVeth',
  'handBridge',
] as const;
export type TerminalOp = (typeof TERMINAL_OPS)[number];

export interface TerminalGen {
  op: TerminalOp;
  a: number;
  b: number;
}

/** Which of the lab's helper processes to SIGKILL. */
export type KillWhich = 'oneSession' | 'allSessions' | 'monitor' | 'all';

export type Step =
  | { kind: 'noop' }
  /** One edit message (1 to 3 edits, all or nothing); `stale` sends it on the previous version. */
  | { kind: 'edit'; edits: EditGen[]; stale: boolean }
  /** A person at a terminal inside the lab, behind the agent's back. */
  | { kind: 'terminal'; action: TerminalGen }
  /** An edit and a terminal action (or a kill) at the same moment. */
  | { kind: 'race'; edit: EditGen; action: TerminalGen | { op: 'kill'; which: KillWhich; a: number } }
  | { kind: 'kill'; which: KillWhich; a: number }
  /** Stop the agent and start a new one on the same lab (after killing its helpers, if `crash`). */
  | { kind: 'restart'; crash: boolean };

const pick = fc.nat({ max: 9999 });

const weighted = <T>(pairs: [number, T][]): fc.Arbitrary<T> =>
  fc.oneof(...pairs.map(([weight, value]) => ({ weight, arbitrary: fc.constant(value) })));

const editOp = weighted<EditOp>([
  [14, 'addNamespace'],
  [14, 'connect'],
  [6, 'removeNamespace'],
  [6, 'disconnect'],
  [10, 'setInterface'],
  [5, 'addBridge'],
  [3, 'removeBridge'],
  [6, 'setPosition'],
  [7, 'adopt'],
  [3, 'setNamespace'],
]);

export const editGen: fc.Arbitrary<EditGen> = fc.record({
  op: editOp,
  // Mostly valid; one in eight is invalid on purpose. (Shrinks towards valid.)
  valid: weighted([
    [7, true],
    [1, false],
  ]),
  a: pick,
  b: pick,
  c: pick,
});

const terminalOp = weighted<TerminalOp>([
  [8, 'netnsAdd'],
  [6, 'netnsDel'],
  [5, 'shortLivedNetns'],
  [5, 'linkDown'],
  [3, 'linkUp'],
  [5, 'linkDel'],
  [4, 'linkRename'],
  [4, 'linkMove'],
  [4, 'addrAdd'],
  [3, 'iptablesFlush'],
  [6, 'handVeth'],
  [2, 'handBridge'],
]);

export const terminalGen: fc.Arbitrary<TerminalGen> = fc.record({ op: terminalOp, a: pick, b: pick });

const killWhich = weighted<KillWhich>([
  [3, 'oneSession'],
  [2, 'allSessions'],
  [2, 'monitor'],
  [1, 'all'],
]);

const killGen = fc.record({ op: fc.constant('kill' as const), which: killWhich, a: pick });

/** One step. `noop` comes first with no weight of its own: it is what shrinking turns a step into. */
export const stepGen: fc.Arbitrary<Step> = fc.oneof(
  { withCrossShrink: true },
  { weight: 1, arbitrary: fc.constant({ kind: 'noop' as const }) },
  {
    weight: 44,
    arbitrary: fc.record({
      kind: fc.constant('edit' as const),
      edits: fc.array(editGen, { minLength: 1, maxLength: 3 }),
      stale: weighted([
        [19, false],
        [1, true],
      ]),
    }),
  },
  { weight: 34, arbitrary: fc.record({ kind: fc.constant('terminal' as const), action: terminalGen }) },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('race' as const),
      edit: editGen,
      action: fc.oneof({ weight: 3, arbitrary: terminalGen }, { weight: 1, arbitrary: killGen }),
    }),
  },
  {
    weight: 7,
    arbitrary: fc.record({ kind: fc.constant('kill' as const), which: killWhich, a: pick }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('restart' as const),
      crash: weighted([
        [2, false],
        [1, true],
      ]),
    }),
  },
);

/**
 * `count` steps exactly when generating (so a run always has its full length), but shrinking may
 * drop steps as any array's would: a counterexample comes out short.
 */
class FullLengthSteps extends fc.Arbitrary<Step[]> {
  private readonly full: fc.Arbitrary<Step[]>;
  private readonly free: fc.Arbitrary<Step[]>;

  constructor(count: number) {
    super();
    this.full = fc.array(stepGen, { minLength: count, maxLength: count });
    this.free = fc.array(stepGen, { minLength: 0, maxLength: count });
  }

  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<Step[]> {
    return this.full.generate(mrng, biasFactor);
  }

  canShrinkWithoutContext(value: unknown): value is Step[] {
    return this.free.canShrinkWithoutContext(value);
  }

  shrink(value: Step[], context: unknown): fc.Stream<fc.Value<Step[]>> {
    return this.free.shrink(value, context);
  }
}

export const stepsGen = (count: number): fc.Arbitrary<Step[]> => new FullLengthSteps(count);

/** One line per step, for the report of a counterexample. */
export function describeStep(step: Step): string {
  const e = (g: EditGen) => `${g.op}${g.valid ? '' : '(invalid)'}[${g.a},${g.b},${g.c}]`;
  const t = (g: TerminalGen) => `${g.op}[${g.a},${g.b}]`;
  switch (step.kind) {
    case 'noop':
      return 'noop';
    case 'edit':
      return `edit ${step.edits.map(e).join(' + ')}${step.stale ? ' (stale)' : ''}`;
    case 'terminal':
      return `terminal ${t(step.action)}`;
    case 'race':
      return `race ${e(step.edit)} with ${step.action.op === 'kill' ? `kill ${step.action.which}` : t(step.action)}`;
    case 'kill':
      return `kill ${step.which}[${step.a}]`;
    case 'restart':
      return `restart${step.crash ? ' (helpers killed first)' : ''}`;
  }
}
