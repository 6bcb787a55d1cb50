import { describe, expect, it } from 'vitest';
import type { ValidationIssue } from '../src/issues';
import { resolveTopology } from '../src/resolve';
import type { Topology, TopologyInput } from '../src/topology';
import { validateTopology } from '../src/validate';
import { bridgeLab, vethPair } from './fixtures';

const issuesOf = (input: unknown): ValidationIssue[] => {
  const result = validateTopology(input);
  return result.ok ? [] : result.issues;
};

const valid = (input: unknown): Topology => {
  const result = validateTopology(input);
  if (!result.ok) throw new Error(`expected a valid document: ${JSON.stringify(result.issues)}`);
  return result.value;
};

const link = (a: string, aif: string, b: string, bif: string, extra: { a?: object; b?: object } = {}) => ({
  a: { node: a, ifname: aif, ...extra.a },
  b: { node: b, ifname: bif, ...extra.b },
});

const twoNamespaces = (links: TopologyInput['links'], more: Partial<TopologyInput> = {}): TopologyInput => ({
  schemaVersion: 1,
  namespaces: [{ name: 'ns0' }, { name: 'ns1' }],
  links,
  ...more,
});

describe('validateTopology refuses, at the exact path', () => {
  it('an interface name of 17 bytes in the third link', () => {
    const doc = twoNamespaces([
      link('ns0', 'veth0', 'ns1', 'veth1'),
      link('ns0', 'veth2', 'ns1', 'veth3'),
      link('ns0', 'veth4', 'ns1', 'abcdefghijklmnopq'),
    ]);
    expect(issuesOf(doc)).toEqual([
      { path: 'links[2].b.ifname', message: expect.stringContaining('17 bytes, at most 15') },
    ]);
  });

  it('a namespace name with a newline', () => {
    const doc = { schemaVersion: 1, namespaces: [{ name: 'ns0' }, { name: 'ns1\nip link del eth0' }] };
    expect(issuesOf(doc)).toEqual([
      { path: 'namespaces[1].name', message: expect.stringContaining('newline') },
    ]);
  });

  it('a bridge in a namespace that does not exist', () => {
    const doc = twoNamespaces([], { bridges: [{ name: 'br0', namespace: 'ns9' }] });
    expect(issuesOf(doc)).toEqual([
      { path: 'bridges[0].namespace', message: expect.stringContaining('no namespace named "ns9"') },
    ]);
  });

  it('a link end on an unknown node', () => {
    const doc = twoNamespaces([link('ghost', 'veth0', 'ns1', 'veth1')]);
    expect(issuesOf(doc)).toEqual([
      { path: 'links[0].a.node', message: expect.stringContaining('no namespace or bridge named "ghost"') },
    ]);
  });

  it('a namespace name used twice, at the second', () => {
    const doc = { schemaVersion: 1, namespaces: [{ name: 'ns0' }, { name: 'ns1' }, { name: 'ns0' }] };
    expect(issuesOf(doc)).toEqual([
      { path: 'namespaces[2].name', message: expect.stringContaining('already used by namespaces[0]') },
    ]);
  });

  it('a bridge with the same name as a namespace', () => {
    const doc = twoNamespaces([], { bridges: [{ name: 'ns1' }] });
    expect(issuesOf(doc)).toEqual([
      { path: 'bridges[0].name', message: expect.stringContaining('already used by namespaces[1]') },
    ]);
  });

  it('a bridge named "root"', () => {
    const doc = twoNamespaces([], { bridges: [{ name: 'root' }] });
    expect(issuesOf(doc)).toEqual([{ path: 'bridges[0].name', message: expect.stringContaining('root') }]);
  });

  it('an interface name used twice in one namespace, at the second', () => {
    const doc = twoNamespaces([link('ns0', 'veth0', 'ns1', 'veth1'), link('ns0', 'veth0', 'ns1', 'veth2')]);
    expect(issuesOf(doc)).toEqual([
      {
        path: 'links[1].a.ifname',
        message: '"veth0" is already used in namespace "ns0" by links[0].a',
      },
    ]);
  });

  it('a veth end named like a bridge in the same namespace', () => {
    const doc = twoNamespaces([link('root', 'br0', 'ns1', 'veth1')], { bridges: [{ name: 'br0' }] });
    expect(issuesOf(doc)).toEqual([
      {
        path: 'links[0].a.ifname',
        message: expect.stringContaining("already used in the lab's root namespace by bridges[0]"),
      },
    ]);
  });

  it('an interface named "lo"', () => {
    const doc = twoNamespaces([link('ns0', 'lo', 'ns1', 'veth1')]);
    expect(issuesOf(doc)).toEqual([
      { path: 'links[0].a.ifname', message: expect.stringContaining('loopback') },
    ]);
  });

  it('one address on two interfaces of one namespace, even with another prefix', () => {
    const doc = twoNamespaces([
      link('ns0', 'veth0', 'ns1', 'veth1', { a: { addresses: ['10.0.1.1/24'] } }),
      link('ns0', 'veth2', 'ns1', 'veth3', { a: { addresses: ['10.0.1.1/16'] } }),
    ]);
    expect(issuesOf(doc)).toEqual([
      {
        path: 'links[1].a.addresses[0]',
        message: expect.stringContaining('10.0.1.1 is already on links[0].a in namespace "ns0"'),
      },
    ]);
  });

  it('addresses on an end that is a bridge port', () => {
    const doc = twoNamespaces([link('ns0', 'veth0', 'br0', 'port0', { b: { addresses: ['10.0.0.2/24'] } })], {
      bridges: [{ name: 'br0' }],
    });
    expect(issuesOf(doc)).toEqual([
      { path: 'links[0].b.addresses', message: expect.stringContaining('port of bridge "br0"') },
    ]);
  });

  it('both ends on the same bridge', () => {
    const doc = twoNamespaces([link('br0', 'p0', 'br0', 'p1')], { bridges: [{ name: 'br0' }] });
    expect(issuesOf(doc)).toEqual([{ path: 'links[0].b.node', message: expect.stringContaining('loop') }]);
  });

  it('a missing schemaVersion', () => {
    expect(issuesOf({ namespaces: [] })).toEqual([{ path: 'schemaVersion', message: expect.any(String) }]);
  });

  it('a schemaVersion this model does not know', () => {
    expect(issuesOf({ ...vethPair(), schemaVersion: 2 })).toEqual([
      { path: 'schemaVersion', message: expect.stringContaining('1') },
    ]);
  });

  it('an unknown field at the top', () => {
    expect(issuesOf({ ...vethPair(), routes: [] })).toEqual([
      { path: '(document)', message: expect.stringContaining('routes') },
    ]);
  });

  it('an unknown field inside a link end', () => {
    const doc = twoNamespaces([link('ns0', 'veth0', 'ns1', 'veth1', { a: { colour: 'red' } })]);
    expect(issuesOf(doc)).toEqual([{ path: 'links[0].a', message: expect.stringContaining('colour') }]);
  });

  it('something that is not a document at all', () => {
    expect(issuesOf(null)).toEqual([{ path: '(document)', message: expect.stringContaining('object') }]);
    expect(issuesOf('{"schemaVersion":1}')).toHaveLength(1);
  });
});

describe('validateTopology accepts', () => {
  const hostDefaults = { forwarding: false, routes: [], firewall: { chains: [], policies: [], rules: [] } };
  it("the tutorial's veth pair, with defaults filled in", () => {
    expect(valid(vethPair())).toEqual({
      schemaVersion: 1,
      namespaces: [
        { name: 'ns0', loUp: true, ...hostDefaults },
        { name: 'ns1', loUp: true, ...hostDefaults },
      ],
      bridges: [],
      links: [
        {
          a: { node: 'ns0', ifname: 'veth0', addresses: ['10.0.1.1/24'], up: true },
          b: { node: 'ns1', ifname: 'veth1', addresses: ['10.0.1.2/24'], up: true },
        },
      ],
    });
  });

  it('a bridge in the root namespace with three namespaces plugged in', () => {
    const doc = valid(bridgeLab());
    expect(doc.bridges).toEqual([{ name: 'br0', up: true, stp: false, addresses: ['10.0.0.1/24'] }]);
    expect(doc.links.map((l) => l.b)).toEqual(
      [0, 1, 2].map((i) => ({ node: 'br0', ifname: `veth${i}`, addresses: [], up: true })),
    );
  });

  it('the same interface name and address in different namespaces', () => {
    const doc = twoNamespaces([
      link('ns0', 'eth0', 'root', 'veth0', { a: { addresses: ['10.0.0.1/24'] } }),
      link('ns1', 'eth0', 'root', 'veth1', { a: { addresses: ['10.0.0.1/24'] } }),
    ]);
    expect(issuesOf(doc)).toEqual([]);
  });

  it('does not change the input it was given', () => {
    const input = vethPair();
    const copy = structuredClone(input);
    valid(input);
    expect(input).toEqual(copy);
  });
});

describe('resolveTopology', () => {
  const doc = valid({
    schemaVersion: 1,
    namespaces: [{ name: 'ns0' }, { name: 'ns1' }, { name: 'core' }],
    bridges: [{ name: 'br0' }, { name: 'br1', namespace: 'core' }],
    links: [
      link('ns0', 'eth0', 'br0', 'p0'),
      link('ns1', 'eth0', 'br1', 'p1'),
      link('ns0', 'eth1', 'root', 'v1'),
    ],
  });
  const resolved = resolveTopology(doc);

  it('puts a bridge in its namespace, or in root when it has none', () => {
    expect(resolved.bridges.map((b) => [b.ifname, b.context])).toEqual([
      ['br0', 'root'],
      ['br1', 'core'],
    ]);
  });

  it("puts a bridge port in the bridge's namespace, with the bridge as master", () => {
    const [toBr0, toBr1] = resolved.veths;
    expect(toBr0?.[1]).toMatchObject({ context: 'root', ifname: 'p0', master: 'br0', path: 'links[0].b' });
    expect(toBr1?.[1]).toMatchObject({ context: 'core', ifname: 'p1', master: 'br1', path: 'links[1].b' });
  });

  it('gives each end its peer, and no master to an end in a namespace', () => {
    const [, toBr1, toRoot] = resolved.veths;
    expect(toBr1?.[0]).toMatchObject({
      context: 'ns1',
      master: undefined,
      peer: { context: 'core', ifname: 'p1' },
    });
    expect(toRoot?.[1]).toMatchObject({
      context: 'root',
      master: undefined,
      peer: { context: 'ns0', ifname: 'eth1' },
    });
  });
});
