import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clabPart, exportClab } from '../src/clab-export';
import { importClab } from '../src/clab-import';
import { applyEdits, type EditInput } from '../src/edits';
import { emptyTopology, type Topology } from '../src/topology';

const FIXTURES = path.join(__dirname, 'fixtures', 'containerlab');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8');

function imported(text: string) {
  const result = importClab(text);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result;
}

function refused(text: string): string[] {
  const result = importClab(text);
  if (result.ok) throw new Error('imported a file it should refuse');
  return result.errors;
}

describe("containerlab's own topology files", () => {
  it('br01: three nodes on a bridge become namespaces and ports of a bridge in the root', () => {
    const { document, notes, name } = imported(fixture('br01.clab.yml'));
    expect(name).toBe('br01');
    expect(document.namespaces.map((n) => n.name)).toEqual(['srl1', 'srl2', 'srl3']);
    expect(document.bridges).toMatchObject([{ name: 'br-clab' }]);
    expect(document.bridges[0]?.namespace).toBeUndefined();
    expect(document.links[0]).toMatchObject({
      a: { node: 'srl1', ifname: 'e1-1' },
      b: { node: 'br-clab', ifname: 'eth1' },
    });
    expect(notes).toContain(
      'srl1, srl2, srl3 (kind nokia_srlinux): plain namespaces; their network OS is not run',
    );
  });

  it('frr01: the hosts’ exec lines give their addresses and routes; the routers’ configs are noted', () => {
    const { document, notes } = imported(fixture('frr01.clab.yml'));
    expect(document.namespaces).toHaveLength(6);
    expect(document.links).toHaveLength(6);
    const pc1 = document.links.find((l) => l.a.node === 'PC1');
    expect(pc1?.a).toMatchObject({ ifname: 'eth1', addresses: ['192.168.11.2/24'], up: true });
    expect(document.namespaces.find((n) => n.name === 'PC1')?.routes).toEqual([
      { to: '192.168.0.0/16', via: '192.168.11.1', dev: 'eth1' },
      { to: '10.10.10.0/24', via: '192.168.11.1', dev: 'eth1' },
    ]);
    expect(notes).toContain(
      "startup-config (router1, router2, router3): ignored: a node's own configuration is not run",
    );
    expect(notes.some((n) => n.startsWith('topology.groups'))).toBe(true);
  });

  it('clos01, srlfrr01, cvx02: every node and link, with images, binds and kinds noted', () => {
    expect(imported(fixture('clos01.clab.yml')).document.links).toHaveLength(4);
    const srlfrr = imported(fixture('srlfrr01.clab.yml'));
    expect(srlfrr.document.links[0]).toMatchObject({
      a: { node: 'srl' },
      b: { node: 'frr', ifname: 'eth1' },
    });
    expect(srlfrr.notes).toContain('binds (frr): ignored: no files are mounted');
    expect(srlfrr.notes).toContain(
      'image (srl, frr): ignored: netcanvas runs no containers: each node is a network namespace',
    );
    const cvx = imported(fixture('cvx02.clab.yml'));
    expect(cvx.notes).toContain('cmd (h1): ignored: no container command is run');
  });
});

describe('a containerlab file netcanvas cannot read', () => {
  const file = (links: string) =>
    `name: bad\ntopology:\n  nodes:\n    a:\n      kind: linux\n    b:\n      kind: linux\n  links:\n${links}`;

  it('is refused with the line and the field', () => {
    expect(
      refused(file('    - endpoints: ["a:eth1", "b:eth1"]\n    - endpoints: ["a:eth2", "r1:eth1"]\n')),
    ).toEqual(['line 10: topology.links[1].endpoints[1]: "r1" is not a node']);
    expect(refused(file('    - endpoints: ["a:eth1"]\n'))[0]).toMatch(
      /^line 9: topology\.links\[0\]\.endpoints: two endpoints/,
    );
    expect(refused(file('    - endpoints: ["a:eth1", "b"]\n'))[0]).toBe(
      'line 9: topology.links[0].endpoints[1]: "b" is not "node:interface"',
    );
    expect(refused(file('    - endpoints: ["a:eth1", "b:has space"]\n'))[0]).toMatch(
      /^line 9: topology\.links\[0\]\.endpoints\[1\]: interface "has space": /,
    );
    // Found by the document's own checks, said at the file's line: one interface twice.
    expect(
      refused(file('    - endpoints: ["a:eth1", "b:eth1"]\n    - endpoints: ["a:eth1", "b:eth2"]\n'))[0],
    ).toMatch(/^line 10: topology\.links\[1\]\.endpoints\[0\]: "eth1" is already used/);
    expect(refused('name: x\ntopology:\n  links: []\n')).toEqual([
      'line 2: topology.nodes: missing: `nodes:` maps each node name to its settings',
    ]);
    expect(refused('name: x\ntopology:\n  nodes:\n    -bad:\n      kind: linux\n')[0]).toMatch(
      /^line 4: topology\.nodes\["-bad"\]: the node's name starts with "-"/,
    );
    expect(refused('topology:\n  nodes: {a: 1\n')[0]).toMatch(/^line \d+: /);
  });

  it('leaves out what is outside the lab, and exec lines it does not read, with a note each', () => {
    const text =
      file('    - endpoints: ["a:eth1", "b:eth1"]\n    - endpoints: ["a:eth2", "macvlan:enp4s0"]\n') +
      'mgmt:\n  network: custom\n';
    const withExec = text.replace(
      '    a:\n      kind: linux\n',
      '    a:\n      kind: linux\n      exec:\n        - ip addr add 10.0.0.1/24 dev eth1\n        - ip addr add 172.20.0.9/24 dev eth0\n        - touch /tmp/x\n        - ip route add 10.9.0.0/16 via 192.0.2.1\n',
    );
    const { document, notes } = imported(withExec);
    expect(document.links).toHaveLength(1);
    expect(document.links[0]?.a.addresses).toEqual(['10.0.0.1/24']);
    expect(document.namespaces[0]?.routes).toEqual([]);
    expect(notes).toEqual(
      expect.arrayContaining([
        'mgmt: ignored: netcanvas makes no management network',
        'topology.links[1]: an end on macvlan is outside the lab; link left out',
        'topology.nodes.a.exec[1]: "ip addr add 172.20.0.9/24 dev eth0" not run (eth0 is not on a link of a in this file)',
        expect.stringMatching(/^topology\.nodes\.a\.exec\[2\]: "touch \/tmp\/x" not run/),
        expect.stringMatching(
          /^topology\.nodes\.a\.exec\[3\]: "ip route add 10\.9\.0\.0\/16 via 192\.0\.2\.1" left out: /,
        ),
      ]),
    );
  });
});

// ---- export → import ---------------------------------------------------------------------------

const NODES = ['ns0', 'ns1', 'br0', 'br1', 'root'] as const;
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const end = fc.record({
  node: fc.constantFrom(...NODES),
  ifname: fc.constantFrom('e0', 'e1', 'e2'),
  addresses: fc.subarray(['10.0.0.1/24', '10.0.0.2/24', '2001:db8::1/64']),
  up: fc.boolean(),
  mtu: maybe(fc.constantFrom(1400, 9000)),
  mac: maybe(fc.constantFrom('02:00:00:00:00:0a', '02:00:00:00:00:0b')),
  effects: maybe(fc.constant({ delayMs: 20 })),
});
const position = maybe(
  fc.record({ x: fc.integer({ min: -900, max: 900 }), y: fc.integer({ min: -900, max: 900 }) }),
);
const anyEdit: fc.Arbitrary<EditInput> = fc.oneof(
  fc.record({
    type: fc.constant('addNamespace'),
    name: fc.constantFrom('ns0', 'ns1'),
    loUp: fc.boolean(),
    forwarding: fc.boolean(),
    routes: fc.subarray([
      { to: '10.9.0.0/16', via: '10.0.0.254' },
      { to: 'default', dev: 'e0', metric: 5 },
      { type: 'blackhole', to: '10.7.0.0/16' },
      { type: 'prohibit', to: '10.6.0.0/16', metric: 3 },
    ]),
    firewall: fc.record({
      policies: fc.subarray([{ chain: 'FORWARD', policy: 'DROP' }]),
      rules: fc.subarray([
        { chain: 'INPUT', protocol: 'tcp', destinationPort: 22, target: 'ACCEPT' },
        { table: 'nat', chain: 'POSTROUTING', source: '10.0.0.0/24', target: 'MASQUERADE' },
      ]),
    }),
    position,
  }),
  fc.record({
    type: fc.constant('addBridge'),
    name: fc.constantFrom('br0', 'br1'),
    namespace: maybe(fc.constant('ns0')),
    stp: fc.boolean(),
    addresses: fc.subarray(['10.0.5.1/24']),
    position,
  }),
  fc.record({ type: fc.constant('connect'), a: end, b: end }),
  fc.record({
    type: fc.constant('setNamespace'),
    name: fc.constant('root'),
    firewall: fc.constant({ rules: [{ chain: 'FORWARD', target: 'ACCEPT' }] }),
  }),
) as fc.Arbitrary<EditInput>;

/** A valid document: random edits, each kept only when the model accepts it. */
const anyDocument: fc.Arbitrary<Topology> = fc.array(anyEdit, { maxLength: 12 }).map((edits) => {
  let doc = emptyTopology();
  for (const edit of edits) {
    const defined = Object.fromEntries(Object.entries(edit).filter(([, v]) => v !== undefined));
    const next = applyEdits(doc, [defined]);
    if (next.ok) doc = next.value;
  }
  return doc;
});

describe('export → import', () => {
  it('gives back the document, but for what the export notes it leaves out', () => {
    fc.assert(
      fc.property(anyDocument, (doc) => {
        const { text, notes } = exportClab(doc, 'lab');
        const back = importClab(text);
        if (!back.ok) throw new Error(`${back.errors.join('\n')}\n${text}`);
        const part = clabPart(doc);
        expect(back.document).toEqual(part.document);
        expect(notes).toEqual(part.notes);
        // Nothing noted: the whole document came back.
        if (notes.length === 0) expect(back.document).toEqual(doc);
      }),
      { numRuns: 100 },
    );
  }, 60_000);

  it('writes kind linux and kind bridge nodes, host: ends, and exec lines', () => {
    const doc = applyEdits(emptyTopology(), [
      { type: 'addNamespace', name: 'r1', forwarding: true, position: { x: 10, y: 20 } },
      { type: 'addBridge', name: 'br0' },
      {
        type: 'connect',
        a: { node: 'r1', ifname: 'eth1', addresses: ['10.0.0.1/24'] },
        b: { node: 'br0', ifname: 'p1' },
      },
      { type: 'connect', a: { node: 'r1', ifname: 'eth2' }, b: { node: 'root', ifname: 'up0' } },
    ]);
    if (!doc.ok) throw new Error(JSON.stringify(doc.issues));
    const { text, notes } = exportClab(doc.value, 'demo');
    expect(notes).toEqual([]);
    expect(text).toContain('kind: linux');
    expect(text).toContain('kind: bridge');
    expect(text).toContain('- r1:eth1');
    expect(text).toContain('- host:up0');
    expect(text).toContain('- ip addr add 10.0.0.1/24 dev eth1');
    expect(text).toContain('- sysctl -w net.ipv4.ip_forward=1');
    expect(text).toContain('graph-posX: "10"');
  });
});

describe('typed routes in containerlab files', () => {
  it('reads `ip route add blackhole ...` (and unreachable, prohibit) from exec lines, and writes them back', () => {
    const text = [
      'name: typed',
      'topology:',
      '  nodes:',
      '    h1:',
      '      kind: linux',
      '      exec:',
      '        - ip route add blackhole 10.9.0.0/16',
      '        - ip route add unreachable 10.8.0.0/16 metric 5',
      '        - ip -6 route add prohibit 2001:db8:7::/48',
      '',
    ].join('\n');
    const { document } = imported(text);
    const routes = [
      { type: 'blackhole', to: '10.9.0.0/16' },
      { type: 'unreachable', to: '10.8.0.0/16', metric: 5 },
      { type: 'prohibit', to: '2001:db8:7::/48' },
    ];
    expect(document.namespaces[0]?.routes).toEqual(routes);
    const again = imported(exportClab(document, 'typed').text).document;
    expect(again.namespaces[0]?.routes).toEqual(routes);
    expect(exportClab(document, 'typed').text).toContain('- ip route add blackhole 10.9.0.0/16');
  });

  it('leaves out a typed route with a gateway, with a note naming why', () => {
    const text = [
      'name: typed',
      'topology:',
      '  nodes:',
      '    h1:',
      '      kind: linux',
      '      exec:',
      '        - ip route add blackhole 10.9.0.0/16 via 10.0.0.1',
      '',
    ].join('\n');
    const { document, notes } = imported(text);
    expect(document.namespaces[0]?.routes).toEqual([]);
    expect(notes).toContainEqual(
      'topology.nodes.h1.exec[0]: "ip route add blackhole 10.9.0.0/16 via 10.0.0.1" left out: ' +
        'a blackhole route has no gateway (via): it sends nothing anywhere',
    );
  });
});
