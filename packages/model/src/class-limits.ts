import type { Topology } from './topology';
import type { ObservedState } from './observed';
import { ROOT } from './names';

/**
 * What one lab of a class may hold (issue 13 §4): a class runs up to 40 labs in one agent process
 * on one machine, so no student may exhaust it. Checked by the agent, each refusal naming its
 * field, with nothing changed (docs/classroom.md, "Limits"). A lab outside a class has none of
 * these beyond the agent's own (MAX_RUNNING_TERMINALS, MAX_RUNNING_CAPTURES, CAPTURE_LIMITS).
 */
export interface LabLimits {
  /** Namespaces the lab's document may hold. */
  namespaces: number;
  /** Browser terminals running at once in the lab. */
  terminals: number;
  /** Packet captures running at once in the lab. */
  captures: number;
  /** The most packets one capture may keep. */
  capturePackets: number;
  /** The most bytes one capture may keep. */
  captureBytes: number;
}

/** The limits of every student's lab. A capture started with the page's defaults fits them. */
export const CLASS_LAB_LIMITS: Readonly<LabLimits> = Object.freeze({
  namespaces: 12,
  terminals: 2,
  captures: 1,
  capturePackets: 10_000,
  captureBytes: 16 * 1024 * 1024,
});

/** Students in one class: 40 labs of 12 namespaces is ~500 namespaces and 40 agents in one process. */
export const CLASS_MAX_STUDENTS = 40;

export interface LimitProblem {
  /** The field refused, as a path a client shows (`namespaces`, `maxBytes`). */
  path: string;
  message: string;
}

/**
 * Why a document is more than the lab may hold, or null. `handMade`: the namespaces the lab's
 * sandbox holds beyond the document (`ip netns add` at a terminal): they cost the machine what the
 * document's do, so they count (apps/agent/README.md, "A class"). `before`: the document the edit
 * starts from; an edit that adds no namespace to the lab passes (a lab past the limit by hand still
 * takes a move or an address).
 */
export function documentLimitProblem(
  document: Topology,
  limits: Pick<LabLimits, 'namespaces'>,
  handMade: readonly string[] = [],
  before: Topology | null = null,
): LimitProblem | null {
  const { count, extra } = namespacesHeld(document, handMade);
  if (count <= limits.namespaces) return null;
  if (before !== null && count <= namespacesHeld(before, handMade).count) return null;
  const listed = extra.length > 5 ? `${extra.slice(0, 5).join(', ')}, …` : extra.join(', ');
  const byHand = extra.length === 0 ? '' : ` (${extra.length} of them made by hand: ${listed})`;
  return {
    path: 'namespaces',
    message: `this lab may hold at most ${limits.namespaces} namespaces (a class's limit); the edit would make ${count}${byHand}: nothing was changed`,
  };
}

/** The namespaces a lab holds with this document: its own, and those made by hand it does not name. */
function namespacesHeld(document: Topology, handMade: readonly string[]) {
  const inDocument = new Set(document.namespaces.map((ns) => ns.name));
  const extra = [...new Set(handMade)].filter((name) => !inDocument.has(name));
  return { count: inDocument.size + extra.length, extra };
}

/** The namespaces the lab holds that its document does not name: made by hand (the root is not one). */
export const handMadeNamespaces = (observed: ObservedState, document: Topology): string[] => {
  const named = new Set(document.namespaces.map((ns) => ns.name));
  return observed.namespaces.map((ns) => ns.name).filter((name) => name !== ROOT && !named.has(name));
};

/**
 * The refusal of one more terminal or capture when `most` already run (a class's limit or the
 * agent's own): the path names the limit (as `namespaces` does the document's), the words count.
 */
export function runningLimitProblem(kind: 'terminals' | 'captures', most: number): LimitProblem {
  const one = kind === 'terminals' ? 'terminal' : 'capture';
  const what = most === 1 ? one : kind;
  const first = kind === 'terminals' ? 'close one first' : 'stop one first';
  return { path: kind, message: `at most ${most} ${what} at once: ${first}` };
}

/** Why a capture asks for more than the lab may keep, or null (the running count is the agent's). */
export function captureSizeProblem(
  request: { maxPackets: number; maxBytes: number },
  limits: Pick<LabLimits, 'capturePackets' | 'captureBytes'>,
): LimitProblem | null {
  if (request.maxPackets > limits.capturePackets)
    return {
      path: 'maxPackets',
      message: `a capture in this lab keeps at most ${limits.capturePackets} packets (a class's limit)`,
    };
  if (request.maxBytes > limits.captureBytes)
    return {
      path: 'maxBytes',
      message: `a capture in this lab keeps at most ${limits.captureBytes} bytes (a class's limit)`,
    };
  return null;
}

/** Why a class of `size` students cannot be made, or null. */
export function classSizeProblem(size: number): string | null {
  if (Number.isInteger(size) && size >= 1 && size <= CLASS_MAX_STUDENTS) return null;
  return `a class has from 1 to ${CLASS_MAX_STUDENTS} students (one lab each), not ${String(size)}`;
}
