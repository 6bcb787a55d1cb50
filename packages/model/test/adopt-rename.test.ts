import { describe, expect, it } from 'vitest';
import {
  adoptOffer,
  applyEdits,
  describeHandRename,
  expandAdopt,
  handRenameOf,
  resolveTopology,
  ruleArgs,
  validateTopology,
  type ObservedState,
  type Topology,
  type TopologyInput,
} from '../src';
import { observedVeth } from './fixtures';
import { handNamespace, loopback, observedState, peers } from './hand-lab';

/** ns1:veth0 (10.0.1.1) – ns2:veth1 (10.0.1.2), and a route in ns1 through the pair's subnet. */
function lab(): Topology {
  const v = validateTopology({
    schemaVersion: 1,
    namespaces: [{ name: 'ns1', routes: [{ to: '10.9.0.0/16', via: '10.0.1.2' }] }, { name: 'ns2' }],
    links: [
      {
        a: { node: 'ns1', ifname: 'veth0', addresses: ['10.0.1.1/24'] },
        b: { node: 'ns2', ifname: 'veth1', addresses: ['10.0.1.2/24'] },
      },
    ],
  });
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  return v.value;
}

function checked(input: TopologyInput): Topology {
  const v = validateTopology(input);
  if (!v.ok) throw new Error(JSON.stringify(v.issues));
  return v.value;
}

/**
 * The lab, with rules and a route naming ns1's veth0: a NAT out of it, a negated match, a rule
 * naming another interface, and rules naming "veth0" in ns2 and the lab's root (other namespaces:
 * not that interface).
 */
function firewalledLab(): Topology {
  const doc = lab();
  return checked({
    ...doc,
    namespaces: [
      {
        ...doc.namespaces[0]!,
        routes: [...doc.namespaces[0]!.routes, { to: '10.8.0.0/16', dev: 'veth0' }],
        firewall: {
          rules: [
            { table: 'nat', chain: 'POSTROUTING', outInterface: 'veth0', target: 'MASQUERADE' },
            { chain: 'FORWARD', inInterface: 'veth9', outInterface: 'veth0', target: 'ACCEPT' },
            { chain: 'INPUT', inInterface: 'veth0', not: ['inInterface'], target: 'DROP' },
          ],
        },
      },
      { name: 'ns2', firewall: { rules: [{ chain: 'FORWARD', outInterface: 'veth0', target: 'DROP' }] } },
    ],
    root: {
      firewall: {
        rules: [{ table: 'nat', chain: 'POSTROUTING', outInterface: 'veth0', target: 'MASQUERADE' }],
      },
    },
  });
}

/** The kernel after `ip link set veth0 name v0` in ns1 (or, with `into`, `ip link set veth0 netns ns2`). */
function renamedByHand(into?: string): ObservedState {
  const moved = observedVeth(into ? 'veth0' : 'v0', { ifindex: 11, addresses: into ? [] : ['10.0.1.1/24'] });
  const peer = observedVeth('veth1', { ifindex: 12, addresses: ['10.0.1.2/24'] });
  peers(into ?? 'ns1', moved, 'ns2', peer);
  const ns1 = [loopback(true), ...(into ? [] : [moved])];
  const ns2 = [loopback(true), peer, ...(into ? [moved] : [])];
  return observedState([
    handNamespace('root', { managed: true }),
    handNamespace('ns1', { managed: true, interfaces: ns1 }),
    handNamespace('ns2', { managed: true, interfaces: ns2 }),
  ]);
}

describe('adopt: a veth end the lab made, renamed or moved by hand', () => {
  it('says which end of the document it was, from its peer', () => {
    const rename = handRenameOf(lab(), renamedByHand(), 'ns1', 'v0');
    expect(rename).not.toBeNull();
    expect(describeHandRename(rename!)).toBe('netcanvas made this as ns1:veth0; renamed by hand to v0');
    const move = handRenameOf(lab(), renamedByHand('ns2'), 'ns2', 'veth0');
    expect(describeHandRename(move!)).toBe('netcanvas made this as ns1:veth0; moved by hand to ns2');
    // The peer itself is the document's, at its place: nothing to tell about it.
    expect(handRenameOf(lab(), renamedByHand(), 'ns2', 'veth1')).toBeNull();
  });

  it('adopting the renamed end renames the document end, keeping its addresses, peer and routes', () => {
    const doc = lab();
    const plan = expandAdopt(doc, renamedByHand(), { type: 'adopt', namespace: 'ns1', ifname: 'v0' });
    if (!plan.ok) throw new Error(JSON.stringify(plan.issues));
    expect(plan.value.interfaces).toEqual([]);
    const after = applyEdits(doc, plan.value.edits);
    if (!after.ok) throw new Error(JSON.stringify(after.issues));
    const [pair] = resolveTopology(after.value).veths;
    const ends = pair!.map((e) => [e.context, e.ifname, e.addresses]);
    expect(ends).toEqual(
      expect.arrayContaining([
        ['ns1', 'v0', ['10.0.1.1/24']],
        ['ns2', 'veth1', ['10.0.1.2/24']],
      ]),
    );
    expect(after.value.links).toHaveLength(1);
    expect(after.value.namespaces.find((n) => n.name === 'ns1')?.routes).toEqual([
      expect.objectContaining({ to: '10.9.0.0/16', via: '10.0.1.2' }),
    ]);
    const offer = adoptOffer(doc, renamedByHand(), { namespace: 'ns1', ifname: 'v0' });
    expect(offer).toMatchObject({ ok: true, label: 'rename veth0 to v0 in the topology', why: null });
  });

  it('adopting a moved end moves the document end to its new namespace', () => {
    const doc = lab();
    const plan = expandAdopt(doc, renamedByHand('ns2'), { type: 'adopt', namespace: 'ns2', ifname: 'veth0' });
    // With its address gone from ns1, ns1's route through 10.0.1.2 has no way there: the
    // document refuses, and the refusal names the move and the route.
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.issues[0]?.message).toContain('netcanvas made this as ns1:veth0; moved by hand to ns2');
    expect(plan.issues[0]?.message).toContain('route "10.9.0.0/16 via 10.0.1.2"');
    const without = { ...doc, namespaces: doc.namespaces.map((n) => ({ ...n, routes: [] })) };
    const moved = expandAdopt(without, renamedByHand('ns2'), {
      type: 'adopt',
      namespace: 'ns2',
      ifname: 'veth0',
    });
    if (!moved.ok) throw new Error(JSON.stringify(moved.issues));
    const after = applyEdits(without, moved.value.edits);
    if (!after.ok) throw new Error(JSON.stringify(after.issues));
    const ends = resolveTopology(after.value)
      .veths.flat()
      .map((e) => `${e.context}:${e.ifname}`);
    expect(ends.sort()).toEqual(['ns2:veth0', 'ns2:veth1']);
  });

  it('a rename in place: the rules and routes of its namespace that name it follow the new name', () => {
    const doc = firewalledLab();
    const plan = expandAdopt(doc, renamedByHand(), { type: 'adopt', namespace: 'ns1', ifname: 'v0' });
    if (!plan.ok) throw new Error(JSON.stringify(plan.issues));
    const after = applyEdits(doc, plan.value.edits);
    if (!after.ok) throw new Error(JSON.stringify(after.issues));
    const [ns1, ns2] = after.value.namespaces;
    // iptables keeps a name as text: a rule left on "-o veth0" would match nothing once the lab is
    // rebuilt with v0 (the NAT silently off). Negated or not, each match of veth0 now names v0.
    expect(ns1?.firewall.rules.map(ruleArgs)).toEqual([
      ['-o', 'v0', '-m', 'comment', '--comment', 'netcanvas', '-j', 'MASQUERADE'],
      ['-i', 'veth9', '-o', 'v0', '-m', 'comment', '--comment', 'netcanvas', '-j', 'ACCEPT'],
      ['!', '-i', 'v0', '-m', 'comment', '--comment', 'netcanvas', '-j', 'DROP'],
    ]);
    expect(ns1?.routes).toEqual([
      expect.objectContaining({ to: '10.9.0.0/16', via: '10.0.1.2' }),
      expect.objectContaining({ to: '10.8.0.0/16', dev: 'v0' }),
    ]);
    // Another namespace's "veth0" is not this interface: left as it is.
    expect(ns2?.firewall).toEqual(doc.namespaces[1]?.firewall);
    expect(after.value.root).toEqual(doc.root);
  });

  it("a rename in the lab's root: the root's rules that name it follow the new name", () => {
    const doc = checked({
      schemaVersion: 1,
      namespaces: [{ name: 'ns2' }],
      links: [
        {
          a: { node: 'root', ifname: 'veth0', addresses: ['10.0.1.1/24'] },
          b: { node: 'ns2', ifname: 'veth1', addresses: ['10.0.1.2/24'] },
        },
      ],
      root: {
        firewall: {
          rules: [{ table: 'nat', chain: 'POSTROUTING', outInterface: 'veth0', target: 'MASQUERADE' }],
        },
      },
    });
    const moved = observedVeth('v0', { ifindex: 11, addresses: ['10.0.1.1/24'] });
    const peer = observedVeth('veth1', { ifindex: 12, addresses: ['10.0.1.2/24'] });
    peers('root', moved, 'ns2', peer);
    const observed = observedState([
      handNamespace('root', { managed: true, interfaces: [loopback(true), moved] }),
      handNamespace('ns2', { managed: true, interfaces: [loopback(true), peer] }),
    ]);
    const plan = expandAdopt(doc, observed, { type: 'adopt', namespace: 'root', ifname: 'v0' });
    if (!plan.ok) throw new Error(JSON.stringify(plan.issues));
    const after = applyEdits(doc, plan.value.edits);
    if (!after.ok) throw new Error(JSON.stringify(after.issues));
    expect(after.value.root?.firewall.rules).toEqual([
      expect.objectContaining({ chain: 'POSTROUTING', outInterface: 'v0', target: 'MASQUERADE' }),
    ]);
  });
});
