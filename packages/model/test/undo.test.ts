import { describe, expect, it } from 'vitest';
import { applyEdits, Edit, type EditInput } from '../src/edits';
import { duplicateAddresses, duplicatesOf } from '../src/duplicate-addresses';
import type { FirewallRuleInput } from '../src/firewall';
import type { Topology } from '../src/topology';
import { inverseEdits, NOT_UNDOABLE } from '../src/undo';
import { changedKeys, driftedKeys } from '../src/undo-keys';
import { describeAction, labContents, whatGoes } from '../src/undo-words';
import { validateTopology } from '../src/validate';
import { bridgeLab, vethPair } from './fixtures';

const valid = (input: unknown): Topology => {
  const result = validateTopology(input);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
};
const edits = (...inputs: EditInput[]) => inputs.map((e) => Edit.parse(e));
const after = (doc: Topology, list: Edit[]) => {
  const result = applyEdits(doc, list);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
};

describe('inverseEdits', () => {
  it('undoes removing a namespace with its links and addresses in one batch, links after the namespace', () => {
    const doc = valid(bridgeLab());
    const inverse = inverseEdits(doc, Edit.parse({ type: 'removeNamespace', name: 'ns1' }));
    expect(inverse.ok && inverse.edits.map((e) => e.type)).toEqual(['addNamespace', 'connect']);
    expect(inverse.ok && inverse.edits[1]).toMatchObject({
      a: { node: 'ns1', ifname: 'eth0', addresses: ['10.0.0.11/24'] },
      b: { node: 'br0', ifname: 'veth1' },
    });
  });

  it('says why an adopt and the removal of a hand rule cannot be undone', () => {
    const doc = valid(vethPair());
    expect(inverseEdits(doc, Edit.parse({ type: 'adopt', namespace: 'h0' }))).toEqual({
      ok: false,
      reason: NOT_UNDOABLE.adopt,
    });
    const removing = Edit.parse({
      type: 'removeHandRule',
      namespace: 'ns0',
      table: 'filter',
      chain: 'INPUT',
      args: ['-j', 'ACCEPT'],
    });
    expect(inverseEdits(doc, removing)).toEqual({ ok: false, reason: NOT_UNDOABLE.removeHandRule });
  });

  it('forgets a first position: the layout places the node again', () => {
    const doc = valid(vethPair());
    const inverse = inverseEdits(
      doc,
      Edit.parse({ type: 'setPosition', node: 'ns0', position: { x: 1, y: 2 } }),
    );
    expect(inverse).toEqual({ ok: true, edits: [{ type: 'setPosition', node: 'ns0', position: null }] });
  });
});

describe('undo keys', () => {
  it('an edit changes the keys of what it touched only, and a later change of them is seen', () => {
    const doc = valid(bridgeLab());
    const mine = edits({ type: 'setInterface', node: 'ns1', ifname: 'eth0', addresses: ['10.0.0.50/24'] });
    const mid = after(doc, mine);
    const changed = changedKeys(doc, mid);
    expect(Object.keys(changed.after).sort()).toEqual(['end:br0:veth1', 'end:ns1:eth0']);
    expect(driftedKeys(mid, changed.after)).toEqual([]);
    // Someone else moves ns1 and changes ns2: not what the edit touched.
    const others = after(
      mid,
      edits(
        { type: 'setPosition', node: 'ns1', position: { x: 3, y: 3 } },
        { type: 'setNamespace', name: 'ns2', forwarding: true },
      ),
    );
    expect(driftedKeys(others, changed.after)).toEqual([]);
    // Someone else changes the same veth: undoing would wipe it.
    const theirs = after(others, edits({ type: 'setInterface', node: 'br0', ifname: 'veth1', up: false }));
    expect(driftedKeys(theirs, changed.after)).toEqual(['the veth on ns1:eth0', 'the veth on br0:veth1']);
  });

  it('reads the same value the same whatever the order of its keys (an edit appends, a load sorts)', () => {
    const doc = valid(vethPair());
    const reordered = structuredClone(doc);
    const link = reordered.links[0];
    if (!link) throw new Error('no link');
    const { a } = link;
    reordered.links[0] = {
      b: link.b,
      a: { up: a.up, addresses: a.addresses, ifname: a.ifname, node: a.node },
    };
    expect(changedKeys(doc, reordered)).toEqual({ before: {}, after: {} });
  });
});

describe('words', () => {
  const doc = valid(bridgeLab());
  it('names an action the way the undo button says it', () => {
    expect(
      describeAction(
        doc,
        edits({ type: 'connect', a: { node: 'ns0', ifname: 'e9' }, b: { node: 'ns1', ifname: 'e9' } }),
      ),
    ).toBe('add veth ns0:e9 ⇄ ns1:e9');
    expect(describeAction(doc, edits({ type: 'disconnect', node: 'br0', ifname: 'veth2' }))).toBe(
      'remove veth ns2:eth0 ⇄ br0:veth2',
    );
    expect(describeAction(doc, edits({ type: 'removeNamespace', name: 'ns0' }))).toBe(
      'remove namespace ns0 and its 1 veth',
    );
    expect(describeAction(doc, edits({ type: 'setPosition', node: 'ns0', position: { x: 0, y: 0 } }))).toBe(
      'move ns0',
    );
  });

  it('names a policy change by its policy, not by the rules it kept', () => {
    const rule = { table: 'filter', chain: 'INPUT', protocol: 'icmp', target: 'DROP' } as const;
    const forward = { table: 'filter', chain: 'FORWARD', policy: 'DROP' } as const;
    const fw = (policies: (typeof forward)[]) => ({ firewall: { rules: [rule], policies } });
    const lab = after(doc, edits({ type: 'setNamespace', name: 'ns1', ...fw([]) }));
    expect(describeAction(lab, edits({ type: 'setNamespace', name: 'ns1', ...fw([forward]) }))).toBe(
      'set namespace ns1 (FORWARD policy DROP)',
    );
    const dropping = after(lab, edits({ type: 'setNamespace', name: 'ns1', ...fw([forward]) }));
    expect(describeAction(dropping, edits({ type: 'setNamespace', name: 'ns1', ...fw([]) }))).toBe(
      'set namespace ns1 (FORWARD policy no longer set)',
    );
    expect(
      describeAction(lab, edits({ type: 'setNamespace', name: 'ns1', firewall: { rules: [rule, rule] } })),
    ).toBe('set namespace ns1 (add rule INPUT -p icmp -j DROP)');
  });

  it('names the rule a change removes or adds, and counts them when there are more', () => {
    const drop = { table: 'filter', chain: 'INPUT', protocol: 'icmp', target: 'DROP' } as const;
    const masquerade = {
      table: 'nat',
      chain: 'POSTROUTING',
      outInterface: 'eth1',
      target: 'MASQUERADE',
    } as const;
    const set = (rules: FirewallRuleInput[]) =>
      edits({ type: 'setNamespace', name: 'ns1', firewall: { rules } });
    const lab = after(doc, set([drop, masquerade]));
    expect(describeAction(lab, set([drop]))).toBe(
      'set namespace ns1 (remove rule nat POSTROUTING -o eth1 -j MASQUERADE)',
    );
    expect(describeAction(lab, set([masquerade, drop]))).toBe('set namespace ns1 (firewall rules reordered)');
    expect(describeAction(lab, set([]))).toBe('set namespace ns1 (remove 2 firewall rules)');
    expect(describeAction(lab, set([{ ...drop, target: 'ACCEPT' }, masquerade]))).toBe(
      'set namespace ns1 (change rule to INPUT -p icmp -j ACCEPT)',
    );
  });

  it('says what a delete takes along, and nothing for a namespace without links', () => {
    const lab = after(doc, edits({ type: 'addNamespace', name: 'lone' }));
    expect(whatGoes(lab, edits({ type: 'removeNamespace', name: 'lone' }))).toEqual([]);
    expect(whatGoes(lab, edits({ type: 'removeNamespace', name: 'ns1' }))).toEqual([
      'ns1 and its 1 link: eth0 ⇄ br0',
    ]);
    expect(whatGoes(lab, edits({ type: 'removeBridge', name: 'br0' }), 2)).toEqual([
      'br0 and its 3 ports: veth0 ⇄ ns0, veth1 ⇄ ns1, …',
    ]);
    expect(labContents(lab)).toBe('4 namespaces, 1 bridge and 3 veths');
  });
});

describe('duplicateAddresses', () => {
  it('finds one address on both ends of a veth', () => {
    const doc = valid({
      ...vethPair(),
      links: [
        {
          a: { node: 'ns0', ifname: 'veth0', addresses: ['10.0.1.1/24'] },
          b: { node: 'ns1', ifname: 'veth1', addresses: ['10.0.1.1/24'] },
        },
      ],
    });
    const found = duplicateAddresses(doc);
    expect(found).toEqual([
      {
        ip: '10.0.1.1',
        holders: ['ns0:veth0', 'ns1:veth1'],
        bridge: null,
        message:
          '10.0.1.1 is on both ns0:veth0 and ns1:veth1 (the two ends of one veth): they will not reach each other reliably',
        short: '10.0.1.1 on both ends',
      },
    ]);
    expect(duplicatesOf(found, 'ns1:veth1')).toHaveLength(1);
  });

  it('finds one address twice behind a bridge (the bridge included), and none across segments', () => {
    const lab = bridgeLab();
    const doc = valid({
      ...lab,
      links: [
        ...(lab.links ?? []).map((l, i) =>
          i === 2 ? { ...l, a: { ...l.a, addresses: ['10.0.0.1/24'] } } : l,
        ),
        { a: { node: 'ns0', ifname: 'x0', addresses: ['10.0.0.11/24'] }, b: { node: 'ns1', ifname: 'x1' } },
      ],
    });
    expect(duplicateAddresses(doc).map((d) => [d.ip, d.holders, d.bridge])).toEqual([
      ['10.0.0.1', ['br0', 'ns2:eth0'], 'br0'],
    ]);
    expect(duplicateAddresses(valid(bridgeLab()))).toEqual([]);
  });
});
