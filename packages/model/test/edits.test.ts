import { describe, expect, it } from 'vitest';
import { Edit, applyEdit, applyEdits, describeEdit, type EditInput } from '../src/edits';
import type { Validated } from '../src/issues';
import type { Topology } from '../src/topology';
import { validateTopology } from '../src/validate';
import { bridgeLab, vethPair } from './fixtures';

const valid = (input: unknown): Topology => {
  const result = validateTopology(input);
  if (!result.ok) throw new Error(`expected a valid document: ${JSON.stringify(result.issues)}`);
  return result.value;
};

const ok = (result: Validated<Topology>): Topology => {
  if (!result.ok) throw new Error(`expected the edit to apply: ${JSON.stringify(result.issues)}`);
  return result.value;
};

const issues = (result: Validated<Topology>) => (result.ok ? [] : result.issues);

// Both typed edits and untrusted input go through applyEdit; the tests write them as clients would.
const apply = (doc: Topology, edit: EditInput) => applyEdit(doc, edit);

/** The bridge lab plus a bridge that lives inside ns0 and a namespace behind it. */
const labWithInnerBridge = () => {
  const lab = bridgeLab();
  return valid({
    ...lab,
    namespaces: [...(lab.namespaces ?? []), { name: 'ns3' }],
    bridges: [...(lab.bridges ?? []), { name: 'brin', namespace: 'ns0' }],
    links: [
      ...(lab.links ?? []),
      { a: { node: 'ns3', ifname: 'eth0' }, b: { node: 'brin', ifname: 'p3' } },
      { a: { node: 'ns1', ifname: 'eth1' }, b: { node: 'ns3', ifname: 'eth1' } },
    ],
  });
};

describe('addNamespace', () => {
  it('adds a namespace with lo up by default, and its position', () => {
    const doc = ok(
      apply(valid(vethPair()), { type: 'addNamespace', name: 'ns2', position: { x: 10, y: 20 } }),
    );
    expect(doc.namespaces.at(-1)).toEqual({
      name: 'ns2',
      loUp: true,
      forwarding: false,
      routes: [],
      firewall: { chains: [], policies: [], rules: [] },
      position: { x: 10, y: 20 },
    });
  });

  it('refuses a name a namespace already has', () => {
    expect(issues(apply(valid(vethPair()), { type: 'addNamespace', name: 'ns1' }))).toEqual([
      { path: 'edit.name', message: 'a namespace named "ns1" already exists' },
    ]);
  });

  it('refuses a name a bridge already has', () => {
    expect(issues(apply(valid(bridgeLab()), { type: 'addNamespace', name: 'br0' }))).toEqual([
      { path: 'edit.name', message: 'a bridge named "br0" already exists' },
    ]);
  });
});

describe('removeNamespace', () => {
  it('removes the namespace, its links, the bridges inside it and their links', () => {
    const doc = ok(apply(labWithInnerBridge(), { type: 'removeNamespace', name: 'ns0' }));
    expect(doc.namespaces.map((ns) => ns.name)).toEqual(['ns1', 'ns2', 'ns3']);
    expect(doc.bridges.map((br) => br.name)).toEqual(['br0']);
    expect(doc.links.map((l) => `${l.a.node}:${l.a.ifname}-${l.b.node}:${l.b.ifname}`)).toEqual([
      'ns1:eth0-br0:veth1',
      'ns2:eth0-br0:veth2',
      'ns1:eth1-ns3:eth1',
    ]);
  });

  it('refuses a namespace that does not exist', () => {
    expect(issues(apply(valid(vethPair()), { type: 'removeNamespace', name: 'x' }))).toEqual([
      { path: 'edit.name', message: 'no namespace named "x"' },
    ]);
  });
});

describe('addBridge', () => {
  it('adds a bridge with the defaults of the document', () => {
    const doc = ok(apply(valid(vethPair()), { type: 'addBridge', name: 'br1', namespace: 'ns0', mtu: 9000 }));
    expect(doc.bridges).toEqual([
      { name: 'br1', namespace: 'ns0', up: true, stp: false, mtu: 9000, addresses: [] },
    ]);
  });

  it('refuses a namespace that does not exist', () => {
    expect(issues(apply(valid(vethPair()), { type: 'addBridge', name: 'br1', namespace: 'ns9' }))).toEqual([
      { path: 'edit.namespace', message: 'no namespace named "ns9"' },
    ]);
  });

  it('refuses a name a namespace already has', () => {
    expect(issues(apply(valid(vethPair()), { type: 'addBridge', name: 'ns0' }))).toEqual([
      { path: 'edit.name', message: 'a namespace named "ns0" already exists' },
    ]);
  });

  it('refuses "root", pointing at the edit', () => {
    expect(issues(apply(valid(vethPair()), { type: 'addBridge', name: 'root' }))).toEqual([
      { path: 'edit.name', message: expect.stringContaining('root') },
    ]);
  });
});

describe('removeBridge', () => {
  it('removes the bridge and every link on it', () => {
    const doc = ok(apply(labWithInnerBridge(), { type: 'removeBridge', name: 'br0' }));
    expect(doc.bridges.map((br) => br.name)).toEqual(['brin']);
    expect(doc.links.every((l) => l.a.node !== 'br0' && l.b.node !== 'br0')).toBe(true);
    expect(doc.links).toHaveLength(2);
    expect(doc.namespaces).toHaveLength(4);
  });

  it('refuses a bridge that does not exist', () => {
    expect(issues(apply(valid(vethPair()), { type: 'removeBridge', name: 'br9' }))).toEqual([
      { path: 'edit.name', message: 'no bridge named "br9"' },
    ]);
  });
});

describe('connect', () => {
  it('adds a veth link with defaults and canonical addresses', () => {
    const doc = ok(
      apply(valid(vethPair()), {
        type: 'connect',
        a: { node: 'ns0', ifname: 'veth2', addresses: ['2001:DB8::1/64'] },
        b: { node: 'root', ifname: 'veth3' },
      }),
    );
    expect(doc.links[1]).toEqual({
      a: { node: 'ns0', ifname: 'veth2', addresses: ['2001:db8::1/64'], up: true },
      b: { node: 'root', ifname: 'veth3', addresses: [], up: true },
    });
  });

  it('refuses an end on a node that does not exist', () => {
    const edit: EditInput = {
      type: 'connect',
      a: { node: 'ns0', ifname: 'v0' },
      b: { node: 'ns9', ifname: 'v1' },
    };
    expect(issues(apply(valid(vethPair()), edit))).toEqual([
      { path: 'edit.b.node', message: 'no namespace or bridge named "ns9"' },
    ]);
  });

  it('refuses an interface name already used in that namespace, pointing at the edit', () => {
    const edit: EditInput = {
      type: 'connect',
      a: { node: 'ns0', ifname: 'veth0' },
      b: { node: 'ns1', ifname: 'v1' },
    };
    expect(issues(apply(valid(vethPair()), edit))).toEqual([
      {
        path: 'edit.a.ifname',
        message: expect.stringContaining('"veth0" is already used in namespace "ns0"'),
      },
    ]);
  });

  it('refuses addresses on a bridge port, pointing at the edit', () => {
    const edit: EditInput = {
      type: 'connect',
      a: { node: 'ns0', ifname: 'eth1' },
      b: { node: 'br0', ifname: 'p9', addresses: ['10.0.0.9/24'] },
    };
    expect(issues(apply(valid(bridgeLab()), edit))).toEqual([
      { path: 'edit.b.addresses', message: expect.stringContaining('port of bridge "br0"') },
    ]);
  });
});

describe('disconnect', () => {
  it('removes the link by either of its ends', () => {
    const byA = ok(apply(valid(vethPair()), { type: 'disconnect', node: 'ns0', ifname: 'veth0' }));
    const byB = ok(apply(valid(vethPair()), { type: 'disconnect', node: 'ns1', ifname: 'veth1' }));
    expect(byA.links).toEqual([]);
    expect(byB.links).toEqual([]);
    expect(byA.namespaces).toHaveLength(2);
  });

  it('removes only the link with that end', () => {
    const doc = ok(apply(valid(bridgeLab()), { type: 'disconnect', node: 'br0', ifname: 'veth1' }));
    expect(doc.links.map((l) => l.b.ifname)).toEqual(['veth0', 'veth2']);
  });

  it('refuses an end that does not exist', () => {
    expect(issues(apply(valid(vethPair()), { type: 'disconnect', node: 'ns0', ifname: 'veth1' }))).toEqual([
      { path: 'edit.ifname', message: 'no veth end "veth1" on "ns0"' },
    ]);
    expect(issues(apply(valid(vethPair()), { type: 'disconnect', node: 'nsx', ifname: 'veth0' }))).toEqual([
      { path: 'edit.node', message: 'no namespace or bridge named "nsx"' },
    ]);
  });
});

describe('setInterface', () => {
  it('changes only the fields it names', () => {
    const doc = ok(
      apply(valid(vethPair()), {
        type: 'setInterface',
        node: 'ns1',
        ifname: 'veth1',
        up: false,
        mtu: 1400,
        mac: '02:00:00:00:00:AB',
      }),
    );
    expect(doc.links[0]?.b).toEqual({
      node: 'ns1',
      ifname: 'veth1',
      addresses: ['10.0.1.2/24'],
      up: false,
      mtu: 1400,
      mac: '02:00:00:00:00:ab',
    });
    expect(doc.links[0]?.a).toEqual(valid(vethPair()).links[0]?.a);
  });

  it('sets addresses, and clears mtu and mac with null', () => {
    const start = ok(
      apply(valid(vethPair()), {
        type: 'setInterface',
        node: 'ns0',
        ifname: 'veth0',
        mtu: 9000,
        mac: '02:00:00:00:00:01',
      }),
    );
    const doc = ok(
      apply(start, {
        type: 'setInterface',
        node: 'ns0',
        ifname: 'veth0',
        addresses: ['10.0.9.1/24'],
        mtu: null,
        mac: null,
      }),
    );
    expect(doc.links[0]?.a).toEqual({ node: 'ns0', ifname: 'veth0', addresses: ['10.0.9.1/24'], up: true });
    expect(doc.links[0]?.a).not.toHaveProperty('mtu');
    expect(doc.links[0]?.a).not.toHaveProperty('mac');
  });

  it('refuses an address already on another interface of that namespace, pointing at the edit', () => {
    const doc = valid({
      ...vethPair(),
      links: [
        ...(vethPair().links ?? []),
        { a: { node: 'ns0', ifname: 'veth2' }, b: { node: 'ns1', ifname: 'veth3' } },
      ],
    });
    const result = apply(doc, {
      type: 'setInterface',
      node: 'ns0',
      ifname: 'veth2',
      addresses: ['10.0.1.1/24'],
    });
    expect(issues(result)).toEqual([
      { path: 'edit.addresses[0]', message: expect.stringContaining('10.0.1.1 is already on links[0].a') },
    ]);
  });

  it('refuses a bad value with the path of the field in the edit', () => {
    const result = apply(valid(vethPair()), {
      type: 'setInterface',
      node: 'ns0',
      ifname: 'veth0',
      mac: '01:00:5e:00:00:01',
    });
    expect(issues(result)).toEqual([{ path: 'edit.mac', message: expect.stringContaining('multicast') }]);
  });
});

describe('setNamespace, setBridge and setPosition', () => {
  it('sets whether lo is up in a namespace', () => {
    const doc = ok(apply(valid(vethPair()), { type: 'setNamespace', name: 'ns1', loUp: false }));
    expect(doc.namespaces.map((ns) => ns.loUp)).toEqual([true, false]);
  });

  it('changes a bridge, and clears its mtu with null', () => {
    const set = ok(
      apply(valid(bridgeLab()), {
        type: 'setBridge',
        name: 'br0',
        stp: true,
        up: false,
        mtu: 9000,
        addresses: [],
      }),
    );
    expect(set.bridges[0]).toEqual({ name: 'br0', up: false, stp: true, mtu: 9000, addresses: [] });
    const cleared = ok(apply(set, { type: 'setBridge', name: 'br0', mtu: null }));
    expect(cleared.bridges[0]).toEqual({ name: 'br0', up: false, stp: true, addresses: [] });
  });

  it('refuses a bridge or namespace that does not exist', () => {
    expect(issues(apply(valid(vethPair()), { type: 'setBridge', name: 'br0', stp: true }))).toEqual([
      { path: 'edit.name', message: 'no bridge named "br0"' },
    ]);
    expect(issues(apply(valid(vethPair()), { type: 'setNamespace', name: 'ns7', loUp: true }))).toEqual([
      { path: 'edit.name', message: 'no namespace named "ns7"' },
    ]);
  });

  it('moves a namespace or a bridge on the canvas', () => {
    const lab = valid(bridgeLab());
    const moved = ok(
      applyEdits(lab, [
        { type: 'setPosition', node: 'ns1', position: { x: 5, y: -3.5 } },
        { type: 'setPosition', node: 'br0', position: { x: 100, y: 0 } },
      ]),
    );
    expect(moved.namespaces[1]?.position).toEqual({ x: 5, y: -3.5 });
    expect(moved.bridges[0]?.position).toEqual({ x: 100, y: 0 });
    expect({ ...moved, namespaces: lab.namespaces, bridges: lab.bridges }).toEqual(lab);
  });

  it('refuses to move a node that does not exist', () => {
    for (const node of ['ns9'])
      expect(
        issues(apply(valid(vethPair()), { type: 'setPosition', node, position: { x: 0, y: 0 } })),
      ).toEqual([{ path: 'edit.node', message: `no namespace or bridge named "${node}"` }]);
  });
});

describe('a malformed edit', () => {
  const doc = valid(vethPair());

  it.each([
    [
      { type: 'connect', a: { node: 'ns0', ifname: 'abcdefghijklmnopq' }, b: { node: 'ns1', ifname: 'v' } },
      'edit.a.ifname',
    ],
    [{ type: 'addNamespace', name: 'ns\nx' }, 'edit.name'],
    [{ type: 'addBridge', name: 'br1', mtu: 67 }, 'edit.mtu'],
    [{ type: 'setBridge', name: 'br0', addresses: ['10.0.0.1/24', '10.0.0.300/24'] }, 'edit.addresses[1]'],
    [{ type: 'setPosition', node: 'ns0', position: { x: Number.NaN, y: 0 } }, 'edit.position.x'],
    [{ type: 'explode' }, 'edit.type'],
    [{ name: 'ns2' }, 'edit.type'],
    [{ type: 'addNamespace', name: 'ns2', colour: 'red' }, 'edit'],
    [null, 'edit'],
  ])('%j is refused at %s', (edit, path) => {
    const result = applyEdit(doc, edit);
    expect(result.ok).toBe(false);
    expect(issues(result).map((i) => i.path)).toEqual([path]);
  });
});

describe('applyEdit', () => {
  it('does not change the document it is given', () => {
    const doc = labWithInnerBridge();
    const before = structuredClone(doc);
    const edits: EditInput[] = [
      { type: 'addNamespace', name: 'ns9' },
      { type: 'removeNamespace', name: 'ns0' },
      { type: 'addBridge', name: 'br9' },
      { type: 'removeBridge', name: 'br0' },
      { type: 'connect', a: { node: 'ns1', ifname: 'x0' }, b: { node: 'ns2', ifname: 'x1' } },
      { type: 'disconnect', node: 'ns0', ifname: 'eth0' },
      { type: 'setInterface', node: 'ns0', ifname: 'eth0', addresses: [], mtu: 1400 },
      { type: 'setNamespace', name: 'ns1', loUp: false },
      { type: 'setBridge', name: 'br0', stp: true, addresses: [] },
      { type: 'setPosition', node: 'ns2', position: { x: 1, y: 1 } },
    ];
    for (const edit of edits) ok(apply(doc, edit));
    expect(doc).toEqual(before);
  });

  // Documents are immutable values: what an edit did not change is shared, so the result is
  // checked by what differs (validate-edited.ts); what it changed is a new object.
  it('returns a new document that shares only what the edit did not change', () => {
    const doc = valid(vethPair());
    const next = ok(apply(doc, { type: 'setNamespace', name: 'ns0', loUp: false }));
    expect(next.namespaces).not.toBe(doc.namespaces);
    expect(next.namespaces[0]).not.toBe(doc.namespaces[0]);
    expect(next.namespaces[1]).toBe(doc.namespaces[1]);
    expect(next.links[0]).toBe(doc.links[0]);
  });
});

describe('applyEdits', () => {
  it('applies a list in order, each edit seeing the ones before it', () => {
    const doc = ok(
      applyEdits(valid(vethPair()), [
        { type: 'addNamespace', name: 'ns2' },
        { type: 'addBridge', name: 'br0', namespace: 'ns2' },
        { type: 'connect', a: { node: 'ns0', ifname: 'up0' }, b: { node: 'br0', ifname: 'p0' } },
      ]),
    );
    expect(doc.links[1]?.b.node).toBe('br0');
  });

  it('is all or nothing: a failing edit leaves the document as it was', () => {
    const doc = valid(vethPair());
    const before = structuredClone(doc);
    const result = applyEdits(doc, [
      { type: 'addNamespace', name: 'ns2' },
      { type: 'connect', a: { node: 'ns0', ifname: 'v2' }, b: { node: 'ns2', ifname: 'v3' } },
      { type: 'addNamespace', name: 'ns2' },
    ]);
    expect(issues(result)).toEqual([
      { path: 'edits[2].name', message: 'a namespace named "ns2" already exists' },
    ]);
    expect(doc).toEqual(before);
  });

  it('prefixes a malformed edit with its index', () => {
    const result = applyEdits(valid(vethPair()), [
      { type: 'addNamespace', name: 'ns2' },
      { type: 'connect', a: { node: 'ns0', ifname: 'a:b' }, b: { node: 'ns2', ifname: 'v3' } },
    ]);
    expect(issues(result)).toEqual([{ path: 'edits[1].a.ifname', message: expect.stringContaining('":"') }]);
  });

  it('returns the document unchanged for an empty list', () => {
    const doc = valid(vethPair());
    expect(ok(applyEdits(doc, []))).toEqual(doc);
  });
});

describe('describeEdit', () => {
  it.each<[EditInput, string]>([
    [
      { type: 'connect', a: { node: 'ns0', ifname: 'veth0' }, b: { node: 'ns1', ifname: 'veth1' } },
      'connect ns0:veth0 to ns1:veth1',
    ],
    [{ type: 'disconnect', node: 'ns0', ifname: 'veth0' }, 'disconnect ns0:veth0'],
    [{ type: 'addNamespace', name: 'ns2' }, 'add namespace ns2'],
    [{ type: 'removeNamespace', name: 'ns2' }, 'remove namespace ns2'],
    [{ type: 'addBridge', name: 'br0', namespace: 'ns2' }, 'add bridge br0 in namespace ns2'],
    [{ type: 'removeBridge', name: 'br0' }, 'remove bridge br0'],
    [
      {
        type: 'setInterface',
        node: 'ns0',
        ifname: 'veth0',
        addresses: ['10.0.1.1/24'],
        up: false,
        mtu: null,
      },
      'set ns0:veth0 (addresses 10.0.1.1/24, down, default mtu)',
    ],
    [{ type: 'setNamespace', name: 'ns0', loUp: true }, 'set namespace ns0 (lo up)'],
    [{ type: 'setBridge', name: 'br0', stp: true, mtu: 9000 }, 'set bridge br0 (stp on, mtu 9000)'],
    [{ type: 'setPosition', node: 'ns0', position: { x: 10.4, y: 20 } }, 'move ns0 to (10, 20)'],
  ])('describes %j as %j', (input, sentence) => {
    expect(describeEdit(Edit.parse(input))).toBe(sentence);
  });
});

describe('the lab root position', () => {
  it('is kept in the document by setPosition on "root"', async () => {
    const { applyEdit, validateTopology } = await import('../src');
    const base = validateTopology({ schemaVersion: 1 });
    if (!base.ok) throw new Error('bad base');
    const moved = applyEdit(base.value, { type: 'setPosition', node: 'root', position: { x: 3, y: 4 } });
    expect(moved.ok && moved.value.rootPosition).toEqual({ x: 3, y: 4 });
  });
});
