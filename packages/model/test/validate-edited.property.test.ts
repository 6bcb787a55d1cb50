import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdit, applyEdits, type EditInput } from '../src/edits';
import type { Topology } from '../src/topology';
import { resolveTopology } from '../src/resolve';
import { validateTopology } from '../src/validate';
import { isChecked } from '../src/validate-edited';
import { anyEdit, document } from './edit-arbitraries';

/**
 * An edited document is checked by what the edits changed (validate-edited.ts): the answer must
 * be the one a whole parse and check gives, and the document edited must stay as it was.
 */

/** The old way: a copy no check has seen, so `applyEdits` parses and checks the whole result. */
const wholeWay = (doc: Topology, edits: readonly EditInput[]) => applyEdits(structuredClone(doc), edits);

const RUNS = { numRuns: 400 };
const TIME = 60_000;

describe('applyEdits checks what the edits changed', () => {
  it(
    'answers as a whole check does, and leaves the document it edits as it was',
    () => {
      let incremental = 0;
      fc.assert(
        fc.property(document, fc.array(anyEdit, { minLength: 1, maxLength: 6 }), (before, edits) => {
          const snapshot = structuredClone(before);
          const after = applyEdits(before, edits);
          expect(after).toEqual(wholeWay(before, edits));
          expect(before).toEqual(snapshot);
          if (isChecked(before)) incremental++;
        }),
        RUNS,
      );
      // Most random documents are built by checked edits (an empty start is not checked).
      expect(incremental).toBeGreaterThan(RUNS.numRuns / 4);
    },
    TIME,
  );

  it('parses again only the objects an edit changed: the others are the same objects', () => {
    const start = validateTopology({
      schemaVersion: 1,
      namespaces: [{ name: 'ns0' }, { name: 'ns1' }, { name: 'ns2' }],
      bridges: [{ name: 'br0' }],
      links: [
        { a: { node: 'ns0', ifname: 'e0', addresses: ['10.0.0.1/24'] }, b: { node: 'br0', ifname: 'p0' } },
        { a: { node: 'ns1', ifname: 'e0', addresses: ['10.0.0.2/24'] }, b: { node: 'br0', ifname: 'p1' } },
      ],
    });
    if (!start.ok) throw new Error('start');
    const doc = start.value;
    const after = applyEdits(doc, [
      { type: 'setPosition', node: 'ns1', position: { x: 1, y: 2 } },
      { type: 'setInterface', node: 'ns0', ifname: 'e0', up: false },
    ]);
    if (!after.ok) throw new Error(JSON.stringify(after.issues));
    const next = after.value;
    expect(isChecked(next)).toBe(true);
    expect(next.namespaces[0]).toBe(doc.namespaces[0]);
    expect(next.namespaces[2]).toBe(doc.namespaces[2]);
    expect(next.bridges[0]).toBe(doc.bridges[0]);
    expect(next.links[1]).toBe(doc.links[1]);
    expect(next.namespaces[1]).not.toBe(doc.namespaces[1]);
    expect(next.namespaces[1]).toEqual({ ...doc.namespaces[1], position: { x: 1, y: 2 } });
    expect(next.links[0]?.a.up).toBe(false);
    expect(doc.links[0]?.a.up).toBe(true);
  });

  it('still finds what spans objects: an address taken by an edit elsewhere', () => {
    const start = applyEdit(
      { schemaVersion: 1, namespaces: [], bridges: [], links: [] },
      { type: 'addNamespace', name: 'ns0' },
    );
    if (!start.ok) throw new Error('start');
    const toRoot = (ifname: string, root: string): EditInput => ({
      type: 'connect',
      a: { node: 'ns0', ifname, addresses: ['10.0.0.1/24'] },
      b: { node: 'root', ifname: root },
    });
    const edits = [toRoot('e0', 'r0'), toRoot('e1', 'r1')];
    const twice = applyEdits(start.value, edits);
    expect(twice.ok).toBe(false);
    expect(twice).toEqual(wholeWay(start.value, edits));
    if (!twice.ok) expect(twice.issues[0]?.message).toContain('10.0.0.1 is already on');
  });

  it('resolves a checked document once, and one not checked each time (it may have changed)', () => {
    const checked = validateTopology({ schemaVersion: 1, namespaces: [{ name: 'ns0' }] });
    if (!checked.ok) throw new Error('doc');
    expect(resolveTopology(checked.value)).toBe(resolveTopology(checked.value));
    const loose: Topology = { schemaVersion: 1, namespaces: [], bridges: [], links: [] };
    expect(resolveTopology(loose).namespaces).toEqual([]);
    loose.namespaces.push({ ...checked.value.namespaces[0]! });
    expect(resolveTopology(loose).namespaces.map((ns) => ns.name)).toEqual(['ns0']);
  });
});
