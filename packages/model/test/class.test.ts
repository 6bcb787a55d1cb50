import { describe, expect, test } from 'vitest';
import { classGoals, classMiniature } from '../src/class-miniature';
import {
  CLASS_LAB_LIMITS,
  captureSizeProblem,
  classSizeProblem,
  documentLimitProblem,
  handMadeNamespaces,
  runningLimitProblem,
} from '../src/class-limits';
import { validateTopology } from '../src/validate';
import type { ObservedState } from '../src/observed';
import type { Topology, TopologyInput } from '../src/topology';
import { bridgeLab, vethPair } from './fixtures';
import { handLab } from './hand-lab';

const doc = (input: TopologyInput): Topology => {
  const checked = validateTopology(input);
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  return checked.value;
};

const stateOf = (m: ReturnType<typeof classMiniature>) => ({
  nodes: Object.fromEntries(m.nodes.map((n) => [n.name, n.state])),
  edges: m.edges.map((e) => `${e.a}-${e.b}:${e.state}`),
});

describe('a student lab drawn small', () => {
  test('a lab the kernel has as the document says is all ok', () => {
    const m = classMiniature(doc(bridgeLab()), handLab(bridgeLab()));
    expect(stateOf(m)).toEqual({
      nodes: { ns0: 'ok', ns1: 'ok', ns2: 'ok', br0: 'ok' },
      edges: ['ns0-br0:ok', 'ns1-br0:ok', 'ns2-br0:ok'],
    });
  });

  test('a veth end down is drift on its link and its namespace; a namespace gone is missing', () => {
    const observed: ObservedState = structuredClone(handLab(vethPair()));
    const ns1 = observed.namespaces.find((n) => n.name === 'ns1')!;
    ns1.interfaces.find((i) => i.ifname === 'veth1')!.up = false;
    expect(stateOf(classMiniature(doc(vethPair()), observed))).toEqual({
      nodes: { ns0: 'ok', ns1: 'drift' },
      edges: ['ns0-ns1:drift'],
    });
    observed.namespaces = observed.namespaces.filter((n) => n.name !== 'ns1');
    expect(stateOf(classMiniature(doc(vethPair()), observed))).toEqual({
      nodes: { ns0: 'ok', ns1: 'missing' },
      edges: ['ns0-ns1:missing'],
    });
  });

  test('an address the kernel lacks is drift; a namespace made in a terminal is unmanaged', () => {
    const observed: ObservedState = structuredClone(handLab(vethPair()));
    const veth0 = observed.namespaces
      .find((n) => n.name === 'ns0')!
      .interfaces.find((i) => i.ifname === 'veth0')!;
    veth0.addresses = [];
    observed.namespaces.push({ name: 'h9', managed: false, interfaces: [], fdb: [] });
    expect(stateOf(classMiniature(doc(vethPair()), observed))).toEqual({
      nodes: { ns0: 'drift', ns1: 'ok', h9: 'unmanaged' },
      edges: ['ns0-ns1:drift'],
    });
  });

  test('nodes keep the places the student gave them; the others go on rows below', () => {
    const input = vethPair();
    input.namespaces![0] = { name: 'ns0', position: { x: 100, y: 50 } };
    const m = classMiniature(doc(input), null);
    expect(m.nodes.map((n) => [n.name, n.x, n.y])).toEqual([
      ['ns0', 100, 50],
      ['ns1', 0, 210],
    ]);
    // Not read yet: nothing is said against the document.
    expect(m.nodes.every((n) => n.state === 'ok')).toBe(true);
  });
});

describe("a class's limits", () => {
  test('a document with one namespace too many is refused, naming namespaces', () => {
    const names = Array.from({ length: CLASS_LAB_LIMITS.namespaces + 1 }, (_, i) => ({ name: `n${i}` }));
    expect(
      documentLimitProblem(doc({ schemaVersion: 1, namespaces: names.slice(1) }), CLASS_LAB_LIMITS),
    ).toBeNull();
    expect(documentLimitProblem(doc({ schemaVersion: 1, namespaces: names }), CLASS_LAB_LIMITS)?.path).toBe(
      'namespaces',
    );
  });

  test('namespaces made by hand count against the limit, and the refusal says so', () => {
    const names = Array.from({ length: 10 }, (_, i) => ({ name: `n${i}` }));
    const document = doc({ schemaVersion: 1, namespaces: names });
    const observed = {
      namespaces: [...names, { name: 'root' }, { name: 'mine1' }, { name: 'mine2' }, { name: 'mine3' }],
    } as unknown as ObservedState;
    const handMade = handMadeNamespaces(observed, document);
    expect(handMade).toEqual(['mine1', 'mine2', 'mine3']);
    expect(documentLimitProblem(document, CLASS_LAB_LIMITS, handMade.slice(0, 2))).toBeNull();
    expect(documentLimitProblem(document, CLASS_LAB_LIMITS, handMade)).toEqual({
      path: 'namespaces',
      message:
        "this lab may hold at most 12 namespaces (a class's limit); the edit would make 13 (3 of them made by hand: mine1, mine2, mine3): nothing was changed",
    });
    // Past the limit by hand, the lab still takes an edit that adds no namespace to it.
    expect(documentLimitProblem(document, CLASS_LAB_LIMITS, handMade, document)).toBeNull();
    const more = doc({ schemaVersion: 1, namespaces: [...names, { name: 'n10' }] });
    expect(documentLimitProblem(more, CLASS_LAB_LIMITS, handMade, document)?.path).toBe('namespaces');
    // Many made by hand: the first five are named.
    const many = Array.from({ length: 8 }, (_, i) => `h${i}`);
    expect(documentLimitProblem(document, CLASS_LAB_LIMITS, many)?.message).toContain(
      '(8 of them made by hand: h0, h1, h2, h3, h4, …)',
    );
    // One the document takes over (adopts) is counted once.
    const adopting = doc({ schemaVersion: 1, namespaces: [...names, { name: 'mine1' }] });
    expect(documentLimitProblem(adopting, CLASS_LAB_LIMITS, handMade.slice(0, 2))).toBeNull();
  });

  test('a capture over the limits is refused by its field; the page’s defaults fit', () => {
    expect(
      captureSizeProblem({ maxPackets: 10_000, maxBytes: 16 * 1024 * 1024 }, CLASS_LAB_LIMITS),
    ).toBeNull();
    expect(captureSizeProblem({ maxPackets: 10_001, maxBytes: 1024 }, CLASS_LAB_LIMITS)?.path).toBe(
      'maxPackets',
    );
    expect(captureSizeProblem({ maxPackets: 10, maxBytes: 64 * 1024 * 1024 }, CLASS_LAB_LIMITS)?.path).toBe(
      'maxBytes',
    );
  });

  test('one terminal or capture too many is refused naming its limit, counted in words that agree', () => {
    expect(runningLimitProblem('captures', 1)).toEqual({
      path: 'captures',
      message: 'at most 1 capture at once: stop one first',
    });
    expect(runningLimitProblem('terminals', 2)).toEqual({
      path: 'terminals',
      message: 'at most 2 terminals at once: close one first',
    });
    expect(runningLimitProblem('terminals', 1).message).toBe('at most 1 terminal at once: close one first');
  });

  test('a class has 1 to 40 students', () => {
    expect(classSizeProblem(1)).toBeNull();
    expect(classSizeProblem(40)).toBeNull();
    for (const bad of [0, 41, 2.5, Number.NaN]) expect(classSizeProblem(bad)).toMatch(/from 1 to 40/);
  });
});

describe("a student's lesson on the overview", () => {
  const lesson = {
    id: 'l',
    title: 'L',
    summary: '',
    steps: ['One', 'Two'].map((title) => ({
      id: title.toLowerCase(),
      title,
      text: '',
      highlight: [],
      checkpoint: false,
      resets: false,
      goals: [{ text: 'a' }, { text: 'b' }],
    })),
  };
  test('goals met of the open step, the step and its title', () => {
    const progress = {
      lessonId: 'l',
      step: 1,
      goals: [
        { state: 'met' as const, detail: null },
        { state: 'unmet' as const, detail: null },
      ],
      done: ['one'],
      complete: false,
    };
    expect(classGoals(lesson, progress)).toEqual({
      met: 1,
      total: 2,
      step: 2,
      steps: 2,
      stepTitle: 'Two',
      done: false,
    });
    expect(classGoals(null, progress)).toBeNull();
    expect(classGoals(lesson, null)).toBeNull();
  });
});
