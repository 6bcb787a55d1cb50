import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { formatPath } from './issues';
import { LessonFile, type GoalCheck, type Lesson, type LessonStep } from './lesson';
import { goalSentence } from './lesson-goals';
import { ROOT } from './names';
import { emptyTopology, type Topology } from './topology';
import { validateTopology } from './validate';

/**
 * Reads a lesson file (`*.lesson.yml`): YAML, read with the `yaml` library keeping each node's
 * position, then checked by the schema (lesson.ts) and across steps, every error naming its line
 * and field: `line 14: steps[2].goals[0].reach.from: namespace "ns9" is not in this step's lab`.
 */

/** A lesson file larger than this is refused before it is read (the built-in ones are a few KB). */
export const MAX_LESSON_BYTES = 256 * 1024;

export interface LessonIssue {
  /** 1-based; 0 when the issue is about the file as a whole. */
  line: number;
  path: string;
  message: string;
}

export type LessonParse = { ok: true; lesson: Lesson } | { ok: false; issues: LessonIssue[] };

export interface LessonParseOptions {
  /**
   * The topologies a step's `start` may name (`examples/*.json`, by file name without `.json`),
   * as the files hold them (they are checked here).
   */
  examples?: Readonly<Record<string, unknown>>;
}

/** `line 14: steps[2].title: ...`: one line per issue, as the CLI and the agent's log print them. */
export const describeLessonIssue = (issue: LessonIssue): string =>
  `${issue.line > 0 ? `line ${issue.line}: ` : ''}${issue.path}: ${issue.message}`;

/** Reads and checks a lesson file's text. Never throws: a bad file gives its issues, in line order. */
export function parseLesson(text: string, options: LessonParseOptions = {}): LessonParse {
  if (text.length > MAX_LESSON_BYTES)
    return fail([{ line: 0, path: '(file)', message: `${text.length} bytes, at most ${MAX_LESSON_BYTES}` }]);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0)
    return fail(
      doc.errors.map((e) => ({
        line: e.linePos?.[0]?.line ?? 0,
        path: '(yaml)',
        message: e.message.split('\n')[0] ?? e.message,
      })),
    );
  let value: unknown;
  try {
    // Aliases bounded: a "billion laughs" file stops here.
    value = doc.toJS({ maxAliasCount: 64 });
  } catch (error) {
    return fail([{ line: 0, path: '(yaml)', message: (error as Error).message }]);
  }
  const lineOf = (path: readonly PropertyKey[]) => lineAt(doc, lineCounter, path);
  const parsed = LessonFile.safeParse(value);
  if (!parsed.success)
    return fail(
      parsed.error.issues.map((issue) => ({
        line: lineOf(issue.path),
        path: formatPath(issue.path),
        message: issue.message,
      })),
    );
  const issues: LessonIssue[] = [];
  const steps = buildSteps(parsed.data, options, (path, message) =>
    issues.push({ line: lineOf(path), path: formatPath(path), message }),
  );
  if (issues.length > 0) return fail(issues);
  const { lesson: id, title, summary } = parsed.data;
  return { ok: true, lesson: { id, title, summary, steps } };
}

const fail = (issues: LessonIssue[]): LessonParse => ({
  ok: false,
  issues: [...issues].sort((a, b) => a.line - b.line),
});

type Report = (path: PropertyKey[], message: string) => void;
type ParsedFile = ReturnType<typeof LessonFile.parse>;

/**
 * Each step with its start resolved, and its goals checked against the lab it can have: the
 * namespaces of the latest `start` at or before it, and those a `namespace` goal asks for since.
 */
function buildSteps(file: ParsedFile, options: LessonParseOptions, report: Report): LessonStep[] {
  const ids = new Set<string>();
  // null: a start that could not be read (already reported): nothing is known until the next.
  let known: Set<string> | null = new Set<string>([ROOT]);
  return file.steps.map((step, i) => {
    if (ids.has(step.id)) report(['steps', i, 'id'], `a second step with id "${step.id}"`);
    ids.add(step.id);
    const start =
      step.start === undefined ? null : resolveStart(step.start, options, ['steps', i, 'start'], report);
    if (step.start !== undefined) known = start && new Set([ROOT, ...start.namespaces.map((ns) => ns.name)]);
    if (known)
      checkRefs(
        step.goals.map((g) => g.check),
        known,
        i,
        report,
      );
    return {
      id: step.id,
      title: step.title,
      text: step.text,
      start,
      highlight: step.highlight,
      checkpoint: step.checkpoint,
      goals: step.goals.map((g) => ({ text: g.text ?? goalSentence(g.check), check: g.check })),
    };
  });
}

function resolveStart(
  start: NonNullable<ParsedFile['steps'][number]['start']>,
  options: LessonParseOptions,
  path: PropertyKey[],
  report: Report,
): Topology | null {
  if (start === 'empty') return emptyTopology();
  if (typeof start !== 'string') {
    const checked = validateTopology(start);
    if (!checked.ok) for (const issue of checked.issues) report([...path], `${issue.path}: ${issue.message}`);
    return checked.ok ? checked.value : null;
  }
  const example = options.examples?.[start];
  if (example === undefined) {
    const names = Object.keys(options.examples ?? {});
    report(path, `no example named "${start}" (${names.length > 0 ? names.join(', ') : 'none known'})`);
    return null;
  }
  const checked = validateTopology(example);
  if (!checked.ok)
    report(path, `the example "${start}" is not a valid topology: ${checked.issues[0]?.message}`);
  return checked.ok ? checked.value : null;
}

/** Each namespace the step's goals name is one its lab can have (`known` grows by its `namespace` goals). */
function checkRefs(checks: GoalCheck[], known: Set<string>, step: number, report: Report): void {
  for (const check of checks) for (const name of declared(check)) known.add(name);
  checks.forEach((check, j) => {
    for (const ref of namespaceRefs(check, ['steps', step, 'goals', j]))
      if (!known.has(ref.name))
        report(ref.path, `namespace "${ref.name}" is not in this step's lab (${[...known].join(', ')})`);
  });
}

/** Namespaces a goal asks the student to make (a `namespace` goal, not under `not`). */
function declared(check: GoalCheck): string[] {
  if (check.kind === 'namespace') return [check.name];
  if (check.kind === 'all' || check.kind === 'any') return check.goals.flatMap(declared);
  return [];
}

/** Every namespace a goal names, with the field that names it. */
function namespaceRefs(check: GoalCheck, at: PropertyKey[]): { path: PropertyKey[]; name: string }[] {
  const here = (field: string[], name: string) => ({ path: [...at, check.kind, ...field], name });
  switch (check.kind) {
    case 'namespace':
      return [here(['name'], check.name)];
    case 'vethPeer':
      return [here(['namespace'], check.namespace), here(['peer', 'namespace'], check.peer.namespace)];
    case 'reach':
    case 'sourceSeen':
      return [here(['from'], check.from)];
    case 'dropped':
      return [here(['from'], check.from), here(['at'], check.at)];
    case 'all':
    case 'any':
      return check.goals.flatMap((g, i) => namespaceRefs(g, [...at, check.kind, i]));
    case 'not':
      return namespaceRefs(check.goal, [...at, 'not']);
    default:
      return [here(['namespace'], check.namespace)];
  }
}

/**
 * The line of the node at `path` (a key's own line for a map entry), or of the nearest node
 * above it that the file has (a missing field: its map's line).
 */
function lineAt(doc: Document, lines: LineCounter, path: readonly PropertyKey[]): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return lines.linePos(offset).line;
}
