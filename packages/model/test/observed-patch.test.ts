import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyObservedPatch,
  diffObserved,
  ObservedPatch,
  ObservedPatchMismatch,
  withoutCounters,
  type ObservedInterface,
  type ObservedNamespace,
  type ObservedState,
} from '../src';
import { handIface } from './hand-lab';
import { observedPair, observedState } from './observed-arbitraries';

/** What crosses the wire: JSON, parsed again with the protocol's schema. */
const overTheWire = (patches: ObservedPatch[]): ObservedPatch[] =>
  ObservedPatch.array().parse(JSON.parse(JSON.stringify(patches)));

/**
 * What a patch can rebuild: the state without counters (stats, rule counters and fdb ages travel
 * apart), the forwarding table as a set (its order means nothing: the kernel's hash order), and
 * the target and takenAt the client already has or the message carries.
 */
const rebuildable = (s: ObservedState, target: ObservedState['target'], takenAt: string) => {
  const stripped = withoutCounters({ ...s, target, takenAt });
  return {
    ...stripped,
    namespaces: stripped.namespaces.map((ns) => ({
      ...ns,
      fdb: [...ns.fdb].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
    })),
  };
};

/** Hundreds of random pairs each: seconds on a loaded machine. */
const PROPERTY_TIMEOUT_MS = 60_000;

describe('the observed state’s wire algebra (property-based)', () => {
  it(
    'applying diff(A, B) to A gives B, counters aside; A’s interface stats are kept',
    () => {
      fc.assert(
        fc.property(observedPair, ([a, b]) => {
          const after = applyObservedPatch(a, overTheWire(diffObserved(a, b)), b.takenAt);
          expect(rebuildable(after, a.target, b.takenAt)).toEqual(rebuildable(b, a.target, b.takenAt));
          for (const ns of after.namespaces)
            for (const i of ns.interfaces) {
              const was = a.namespaces
                .find((x) => x.name === ns.name)
                ?.interfaces.find((x) => x.ifname === i.ifname);
              expect(i.stats).toEqual(was?.stats ?? null);
            }
        }),
        { numRuns: 400 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'the same holds for two unrelated states, and from nothing',
    () => {
      fc.assert(
        fc.property(observedState, observedState, (a, b) => {
          const after = applyObservedPatch(a, overTheWire(diffObserved(a, b)), b.takenAt);
          expect(rebuildable(after, a.target, b.takenAt)).toEqual(rebuildable(b, a.target, b.takenAt));
          const empty = { ...b, namespaces: [] };
          const fromNothing = applyObservedPatch(empty, overTheWire(diffObserved(null, b)));
          expect(rebuildable(fromNothing, b.target, b.takenAt)).toEqual(rebuildable(b, b.target, b.takenAt));
        }),
        { numRuns: 200 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'diff(A, A) is empty, and so is a diff where only counters moved',
    () => {
      fc.assert(
        fc.property(observedState, fc.nat(), (a, n) => {
          expect(diffObserved(a, a)).toEqual([]);
          const counted: ObservedState = {
            ...a,
            namespaces: a.namespaces.map((ns) => ({
              ...ns,
              interfaces: ns.interfaces.map((i) =>
                i.stats ? { ...i, stats: { ...i.stats, rxBytes: n } } : i,
              ),
              fdb: ns.fdb.map((e) => (e.ageSeconds === null ? e : { ...e, ageSeconds: n })),
              ...(ns.firewall
                ? {
                    firewall: { ...ns.firewall, rules: ns.firewall.rules.map((r) => ({ ...r, packets: n })) },
                  }
                : {}),
            })),
          };
          expect(diffObserved(a, counted)).toEqual([]);
        }),
      );
    },
    PROPERTY_TIMEOUT_MS,
  );

  it(
    'never changes the state it is given',
    () => {
      fc.assert(
        fc.property(observedPair, ([a, b]) => {
          const copy = structuredClone(a);
          applyObservedPatch(a, diffObserved(a, b));
          expect(a).toEqual(copy);
        }),
        { numRuns: 100 },
      );
    },
    PROPERTY_TIMEOUT_MS,
  );
});

/** An interface as two reads of the same kernel give it (the same ifindex each time). */
const iface = (ifname: string, extra: Partial<ObservedInterface> = {}): ObservedInterface =>
  handIface(ifname, { ifindex: 2, ...extra });
const STATS = {
  rxBytes: 5,
  rxPackets: 1,
  rxErrors: 0,
  rxDropped: 0,
  txBytes: 0,
  txPackets: 0,
  txErrors: 0,
  txDropped: 0,
};
const ns = (name: string, interfaces: ObservedInterface[], extra: Partial<ObservedNamespace> = {}) => ({
  name,
  managed: true,
  interfaces,
  fdb: [],
  ...extra,
});
const state = (namespaces: ObservedNamespace[]): ObservedState => ({
  target: { kind: 'sandbox', lab: 't', pid: 1 },
  takenAt: '2026-12-01T00:00:00.000Z',
  namespaces,
});

describe('finer patches', () => {
  it('an address added to one interface is a patch of that address list, far smaller than the namespace', () => {
    const ports = Array.from({ length: 40 }, (_, n) => iface(`p${n}`, { master: 'br0', addresses: [] }));
    const routes = [
      { to: '10.0.0.0/24', via: null, dev: 'br0', protocol: 'kernel', metric: null, managed: false },
    ];
    const before = state([ns('root', [iface('br0', { kind: 'bridge' }), ...ports], { routes })]);
    const after = state([
      ns('root', [iface('br0', { kind: 'bridge', addresses: ['10.0.0.1/24'] }), ...ports], { routes }),
    ]);
    const patches = diffObserved(before, after);
    expect(patches).toEqual([{ op: 'link', ns: 'root', ifname: 'br0', set: { addresses: ['10.0.0.1/24'] } }]);
    expect(JSON.stringify(patches).length * 20).toBeLessThan(JSON.stringify(after.namespaces[0]).length);
  });

  it('a link taken down sends its changed fields, a removed namespace its name', () => {
    const before = state([ns('root', []), ns('a', [iface('x')]), ns('gone', [])]);
    const after = state([ns('root', []), ns('a', [iface('x', { up: false, flags: [] })])]);
    expect(diffObserved(before, after)).toEqual([
      { op: 'link', ns: 'a', ifname: 'x', set: { up: false, flags: [] } },
      { op: 'removeNamespace', name: 'gone' },
    ]);
  });

  it('which fe80 address is the kernel’s own travels in a link patch, and is unset when no longer said', () => {
    const addresses = ['fe80::10/64', 'fe80::1/64'];
    const told = state([ns('a', [iface('x', { addresses, kernelLinkLocal: ['fe80::1/64'] })])]);
    const untold = state([ns('a', [iface('x', { addresses })])]);
    const there = applyObservedPatch(untold, overTheWire(diffObserved(untold, told)));
    expect(there.namespaces[0]?.interfaces[0]?.kernelLinkLocal).toEqual(['fe80::1/64']);
    const back = applyObservedPatch(told, overTheWire(diffObserved(told, untold)));
    expect(back.namespaces[0]?.interfaces[0]).not.toHaveProperty('kernelLinkLocal');
  });

  it('a learned MAC is put into the table, and dropped when it ages out, without its age', () => {
    const local = {
      bridge: 'br0',
      mac: '02:00:00:00:00:01',
      port: 'br0',
      vlan: null,
      learned: false,
      ageSeconds: null,
    };
    const learned = {
      bridge: 'br0',
      mac: '02:00:00:00:00:09',
      port: 'p1',
      vlan: null,
      learned: true,
      ageSeconds: 3,
    };
    const before = state([ns('root', [], { fdb: [local] })]);
    const after = state([ns('root', [], { fdb: [local, learned] })]);
    expect(diffObserved(before, after)).toEqual([
      { op: 'fdb', ns: 'root', put: [{ ...learned, ageSeconds: null }], drop: [] },
    ]);
    expect(diffObserved(after, before)).toEqual([
      { op: 'fdb', ns: 'root', put: [], drop: [{ ...learned, ageSeconds: null }] },
    ]);
  });

  it('does not walk a namespace or a forwarding table a read handed back as the same object', () => {
    // A read keeps what it did not read again as the same objects; an edit that adds a namespace
    // changes the list, and the diff then met all 1,000 others (docs/benchmarks.md, "Edits at
    // 200 and 1,000"). Counted: every look at a kept namespace's interfaces or a kept entry's MAC.
    let looked = 0;
    const kept = ns('h1', [iface('eth0')]);
    const counted = Object.defineProperty({ ...kept }, 'interfaces', {
      get: () => (looked++, kept.interfaces),
      enumerable: true,
    });
    const entry = { bridge: 'br0', port: 'p1', vlan: null, learned: true, ageSeconds: 1 };
    const table = [
      Object.defineProperty({ ...entry, mac: '' }, 'mac', { get: () => (looked++, '02:00:00:00:00:09') }),
    ];
    const rootBefore = ns('root', [iface('br0', { kind: 'bridge' })], { fdb: table });
    const rootAfter = { ...rootBefore, interfaces: [...rootBefore.interfaces, iface('p2')] };
    const before = state([rootBefore, counted]);
    const after = state([rootAfter, counted, ns('new', [])]);
    const patches = diffObserved(before, after);
    expect(patches.map((p) => p.op)).toEqual(['interface', 'namespace']);
    expect(looked).toBe(0);
  });

  it('sends everything the first time, whole and without counters', () => {
    const s = state([
      ns('root', [
        iface('p1', {
          stats: {
            rxBytes: 5,
            rxPackets: 1,
            rxErrors: 0,
            rxDropped: 0,
            txBytes: 0,
            txPackets: 0,
            txErrors: 0,
            txDropped: 0,
          },
        }),
      ]),
    ]);
    expect(diffObserved(null, s)).toEqual([{ op: 'namespace', namespace: ns('root', [iface('p1')]) }]);
  });
});

describe('applying a whole namespace', () => {
  it('replaces it and keeps the stats of its interfaces that stay (a patch carries none)', () => {
    const stats = { ...STATS, rxBytes: 42 };
    const s = state([ns('a', [iface('x', { stats }), iface('y', { stats })])]);
    const after = applyObservedPatch(s, [
      { op: 'namespace', namespace: ns('a', [iface('x', { up: false }), iface('z')]) },
    ]);
    expect(after.namespaces).toEqual([ns('a', [iface('x', { up: false, stats }), iface('z')])]);
  });
});

describe('a patch that does not fit', () => {
  it('is refused, naming the patch and what is missing, and the state is left as it was', () => {
    const s = state([ns('root', [iface('p1')])]);
    const copy = structuredClone(s);
    const bad: ObservedPatch[] = [
      { op: 'link', ns: 'root', ifname: 'p1', set: { up: false } },
      { op: 'link', ns: 'ns9', ifname: 'eth0', set: { up: false } },
    ];
    expect(() => applyObservedPatch(s, bad)).toThrow(ObservedPatchMismatch);
    expect(() => applyObservedPatch(s, bad)).toThrow('observed patch 1 (link): no namespace "ns9"');
    expect(() => applyObservedPatch(s, [{ op: 'removeInterface', ns: 'root', ifname: 'eth9' }])).toThrow(
      'namespace "root" has no interface "eth9"',
    );
    expect(s).toEqual(copy);
  });

  it('is refused by the protocol’s schema when a field is not an interface’s', () => {
    const parsed = ObservedPatch.safeParse({ op: 'link', ns: 'root', ifname: 'p1', set: { colour: 'red' } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/colour/);
  });
});
