import {
  applyEdits,
  replaceDocumentEdits,
  validateTopology,
  type ObservedFirewall,
  type ObservedState,
  type Topology,
} from '@netcanvas/model';
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../src/adapters/graph';
import type { CardNode } from '../src/adapters/types';

// The lab's root on the canvas (issue 9, gap 2): a card when its firewall has rules, even with no
// interface there, with the rule count and the firewall's drift like a namespace's card.

const doc = (root?: object): Topology => {
  const r = validateTopology({ schemaVersion: 1, namespaces: [{ name: 'ns0' }], ...(root ? { root } : {}) });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};
const observed = (firewall?: ObservedFirewall): ObservedState => ({
  target: { kind: 'sandbox', lab: 'test', pid: 1 },
  takenAt: new Date(0).toISOString(),
  namespaces: [
    {
      name: 'root',
      managed: true,
      interfaces: [],
      fdb: [],
      forwarding: true,
      ...(firewall ? { firewall } : {}),
    },
    { name: 'ns0', managed: true, interfaces: [], fdb: [] },
  ],
});
const rootCard = (document: Topology, state: ObservedState | null) =>
  buildGraph({ document, observed: state, editable: true, pending: {}, local: {} }).nodes.find(
    (n): n is CardNode => n.id === 'root' && n.type === 'card',
  );
const ACCEPT = { chain: 'FORWARD', inInterface: 'br0', outInterface: 'br0', target: 'ACCEPT' };
const ACCEPT_ARGS = ['-i', 'br0', '-o', 'br0', '-m', 'comment', '--comment', 'netcanvas', '-j', 'ACCEPT'];
const rule = (args: string[], managed: boolean) => ({
  table: 'filter',
  chain: 'FORWARD',
  args,
  managed,
  packets: 0,
  bytes: 0,
});
const chains = [{ table: 'filter', name: 'FORWARD', policy: 'ACCEPT', packets: 0, bytes: 0 }];

describe('the lab root’s card', () => {
  it('is not drawn while nothing lives in the root', () => {
    expect(rootCard(doc(), observed({ chains, rules: [] }))).toBeUndefined();
  });

  it('is drawn for the document’s root rules alone, with their count until the kernel is read', () => {
    const card = rootCard(doc({ firewall: { rules: [ACCEPT] } }), null);
    expect(card?.data).toMatchObject({ kind: 'root', rows: [], drift: [], netfilter: { rules: 1 } });
  });

  it('is drawn for rules made by hand in the root, counting the kernel’s rules', () => {
    const card = rootCard(doc(), observed({ chains, rules: [rule(['-j', 'ACCEPT'], false)] }));
    expect(card?.data).toMatchObject({ drift: [], netfilter: { rules: 1, forwarding: true } });
  });

  it('says what differs from the document: a rule missing, a rule of the lab’s not wanted, a policy', () => {
    const wanted = doc({ firewall: { rules: [ACCEPT], policies: [{ chain: 'FORWARD', policy: 'DROP' }] } });
    expect(rootCard(wanted, observed({ chains, rules: [] }))?.data.drift).toEqual([
      '1 firewall rule missing',
      'policy of FORWARD ACCEPT, desired DROP',
    ]);
    expect(
      rootCard(doc(), observed({ chains, rules: [rule(ACCEPT_ARGS, true), rule(['-j', 'DROP'], false)] }))
        ?.data.drift,
    ).toEqual(['1 of the lab’s rules not in the topology']);
    expect(
      rootCard(doc({ firewall: { rules: [ACCEPT] } }), observed({ chains, rules: [rule(ACCEPT_ARGS, true)] }))
        ?.data.drift,
    ).toEqual([]);
  });
});

describe('a document replaced (an example, an imported file)', () => {
  const applied = (current: Topology, next: Topology) => {
    const result = applyEdits(current, replaceDocumentEdits(current, next));
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    return result.value;
  };

  it('takes the new document’s root firewall, and drops the old one', () => {
    const withRoot = doc({ firewall: { rules: [ACCEPT] } });
    expect(applied(doc(), withRoot).root).toEqual(withRoot.root);
    expect('root' in applied(withRoot, doc())).toBe(false);
    expect(applied(withRoot, withRoot).root).toEqual(withRoot.root);
  });
});
