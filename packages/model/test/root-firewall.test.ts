import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdit, describeEdit, Edit, type EditInput } from '../src/edits';
import type { FirewallRuleInput } from '../src/firewall';
import type { Validated } from '../src/issues';
import { firewallOf, rootFirewall, type Topology, type TopologyInput } from '../src/topology';
import { validateTopology } from '../src/validate';
import { bridgeLab } from './fixtures';

/** The lab's root's firewall in the document (issue 9, gap 2): schema, edit, validation. */

const valid = (input: unknown): Topology => {
  const result = validateTopology(input);
  if (!result.ok) throw new Error(`expected a valid document: ${JSON.stringify(result.issues)}`);
  return result.value;
};
const issues = (result: Validated<Topology>) => (result.ok ? [] : result.issues);
const ok = (result: Validated<Topology>): Topology => {
  if (!result.ok) throw new Error(`expected the edit to apply: ${JSON.stringify(result.issues)}`);
  return result.value;
};

/** The tutorial's bridge, and what the root needs for it: br0's own forwarding, and a MASQUERADE. */
const BRIDGE_ACCEPT: FirewallRuleInput = {
  chain: 'FORWARD',
  inInterface: 'br0',
  outInterface: 'br0',
  target: 'ACCEPT',
};
const MASQUERADE: FirewallRuleInput = {
  table: 'nat',
  chain: 'POSTROUTING',
  source: '10.0.0.0/24',
  outInterface: 'up0',
  target: 'MASQUERADE',
};
const withRoot = (rules: FirewallRuleInput[], extra: object = {}): TopologyInput => ({
  ...bridgeLab(),
  root: { firewall: { rules, ...extra } },
});
const setRoot = (doc: Topology, edit: Omit<EditInput & { type: 'setNamespace' }, 'type' | 'name'>) =>
  applyEdit(doc, { type: 'setNamespace', name: 'root', ...edit });

describe('the document holds the lab root’s firewall', () => {
  it('loads a document without a root unchanged (no root written)', () => {
    const doc = valid(bridgeLab());
    expect('root' in doc).toBe(false);
    expect(rootFirewall(doc)).toEqual({ chains: [], policies: [], rules: [] });
  });

  it('loads root rules with their defaults, and firewallOf finds them by "root"', () => {
    const doc = valid(withRoot([BRIDGE_ACCEPT, MASQUERADE]));
    expect(doc.root?.firewall.rules).toEqual([{ table: 'filter', ...BRIDGE_ACCEPT }, { ...MASQUERADE }]);
    expect(firewallOf(doc, 'root')).toBe(doc.root?.firewall);
    expect(firewallOf(doc, 'ns0')).toBe(doc.namespaces[0]?.firewall);
    expect(firewallOf(doc, 'nope')).toBeUndefined();
  });

  it('refuses anything but a firewall in the root, naming the field', () => {
    const result = validateTopology({ ...bridgeLab(), root: { firewall: {}, loUp: false } });
    expect(issues(result)).toEqual([expect.objectContaining({ path: 'root' })]);
    expect(issues(result)[0]?.message).toMatch(/loUp/);
  });

  it('validates root rules as a namespace’s, at root.firewall', () => {
    expect(issues(validateTopology(withRoot([{ chain: 'FORWARD', target: 'MASQUERADE' }])))).toEqual([
      {
        path: 'root.firewall.rules[0].target',
        message: 'MASQUERADE does not belong in filter FORWARD (only nat POSTROUTING)',
      },
    ]);
    expect(issues(validateTopology(withRoot([{ chain: 'NOPE', target: 'ACCEPT' }])))[0]?.path).toBe(
      'root.firewall.rules[0].chain',
    );
    expect(
      issues(validateTopology(withRoot([], { chains: [{ name: 'FORWARD' }, { name: 'A' }, { name: 'A' }] }))),
    ).toEqual([
      { path: 'root.firewall.chains[0].name', message: '"FORWARD" is a built-in chain of filter' },
      { path: 'root.firewall.chains[2].name', message: 'chain "A" is declared twice in filter' },
    ]);
  });

  it('takes interface names in root rules as the root’s (a bridge, a port, the machine’s uplink)', () => {
    const doc = valid(
      withRoot([BRIDGE_ACCEPT, MASQUERADE, { chain: 'FORWARD', inInterface: 'veth0', target: 'DROP' }]),
    );
    expect(doc.root?.firewall.rules).toHaveLength(3);
  });

  it('refuses an interface name iptables would misread in a root rule, at its field', () => {
    for (const [name, why] of [
      ['br+', /wildcard/],
      ['-o', /option/],
      ['a-name-too-long-x', /bytes/],
      ['br 0', /whitespace/],
    ] as const) {
      const result = validateTopology(withRoot([{ chain: 'FORWARD', inInterface: name, target: 'ACCEPT' }]));
      expect(issues(result)).toEqual([
        { path: 'root.firewall.rules[0].inInterface', message: expect.stringMatching(why) },
      ]);
    }
  });
});

describe('setNamespace "root"', () => {
  it('sets the root’s firewall, and an empty one removes the root from the document', () => {
    const doc = ok(setRoot(valid(bridgeLab()), { firewall: { rules: [BRIDGE_ACCEPT] } }));
    expect(doc.root).toEqual({
      firewall: { chains: [], policies: [], rules: [{ table: 'filter', ...BRIDGE_ACCEPT }] },
    });
    const emptied = ok(setRoot(doc, { firewall: { rules: [] } }));
    expect('root' in emptied).toBe(false);
    expect(JSON.stringify(emptied)).toBe(JSON.stringify(valid(bridgeLab())));
  });

  it('refuses lo, forwarding and routes for the root, naming the field, and changes nothing', () => {
    const doc = valid(withRoot([BRIDGE_ACCEPT]));
    const before = JSON.stringify(doc);
    expect(issues(setRoot(doc, { loUp: false, firewall: { rules: [] } }))).toEqual([
      { path: 'edit.loUp', message: "the lab's root keeps its lo as the sandbox has it" },
    ]);
    expect(issues(setRoot(doc, { forwarding: true }))).toEqual([
      { path: 'edit.forwarding', message: expect.stringMatching(/root forwards as the sandbox has it/) },
    ]);
    expect(issues(setRoot(doc, { routes: [] }))).toEqual([
      { path: 'edit.routes', message: expect.stringMatching(/routes of named namespaces only/) },
    ]);
    expect(JSON.stringify(doc)).toBe(before);
  });

  it('points a bad root rule at the edit that wrote it', () => {
    expect(
      issues(setRoot(valid(bridgeLab()), { firewall: { rules: [{ chain: 'INPUT', target: 'DNAT' }] } })),
    ).toEqual([
      {
        path: 'edit.firewall.rules[0].target',
        message: 'DNAT does not belong in filter INPUT (only nat PREROUTING or OUTPUT)',
      },
    ]);
  });

  it('still refuses a namespace named like nothing the document has', () => {
    expect(issues(applyEdit(valid(bridgeLab()), { type: 'setNamespace', name: 'ns9', loUp: true }))).toEqual([
      { path: 'edit.name', message: 'no namespace named "ns9"' },
    ]);
  });

  it('is described as the lab’s root', () => {
    const edit = Edit.parse({
      type: 'setNamespace',
      name: 'root',
      firewall: { rules: [BRIDGE_ACCEPT, MASQUERADE, { chain: 'INPUT', target: 'DROP' }] },
    });
    expect(describeEdit(edit)).toBe("set the lab's root (3 firewall rules)");
  });

  it('keeps the root and the namespaces apart for any rules (property)', () => {
    const rule = fc.record({
      chain: fc.constantFrom('INPUT', 'FORWARD', 'OUTPUT'),
      target: fc.constantFrom('ACCEPT', 'DROP', 'LOG'),
      inInterface: fc.option(fc.constantFrom('br0', 'veth0', 'up0'), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 12 }), (rules) => {
        const start = valid(bridgeLab());
        const rulesWanted = rules.map((r) =>
          r.inInterface === undefined || r.chain === 'OUTPUT' ? { ...r, inInterface: undefined } : r,
        );
        const doc = ok(setRoot(start, { firewall: { rules: rulesWanted } }));
        // The namespaces' firewalls are untouched; the root holds exactly what was set, or nothing.
        expect(doc.namespaces).toEqual(start.namespaces);
        expect(rootFirewall(doc).rules).toHaveLength(rulesWanted.length);
        expect('root' in doc).toBe(rulesWanted.length > 0);
        // What was saved loads back the same (a document round trip through JSON).
        expect(valid(JSON.parse(JSON.stringify(doc)))).toEqual(doc);
      }),
    );
  });
});
