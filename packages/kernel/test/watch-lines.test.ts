import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineInterface, lineRoute, lineSubject } from '../src/watch';

// Lines as `ip -o monitor all-nsid link address nsid` (route and netconf: below) printed them on iproute2 6.1 (tabs and
// continuations as `\`), for a bridge, a veth across namespaces, a rename and deletions.
describe('lineInterface: the interface a monitor line is about', () => {
  it('reads a link line: ifindex and the real name (without @peer)', () => {
    expect(
      lineInterface(
        '[nsid current]3: v0@if2: <BROADCAST,MULTICAST> mtu 1500 qdisc noop master br0 state DOWN group default \\    link/ether d2:9f:a8:54:36:98',
      ),
    ).toEqual({ ifindex: 3, ifname: 'v0', deleted: false });
    expect(lineInterface('[nsid 0]2: v1@NONE: <BROADCAST,MULTICAST> mtu 1500 qdisc noop state DOWN')).toEqual(
      {
        ifindex: 2,
        ifname: 'v1',
        deleted: false,
      },
    );
    expect(lineInterface('[nsid current]2: br9: <NO-CARRIER,BROADCAST,MULTICAST,UP> mtu 1500')).toEqual({
      ifindex: 2,
      ifname: 'br9',
      deleted: false,
    });
  });

  it('reads a deleted link', () => {
    expect(
      lineInterface('[nsid current]Deleted 3: v0@NONE: <BROADCAST,MULTICAST> mtu 1500 master br0 state DOWN'),
    ).toEqual({ ifindex: 3, ifname: 'v0', deleted: true });
  });

  it('reads an address line by ifindex only: its name may be another namespace’s', () => {
    expect(
      lineInterface('[nsid 0]2: br0    inet 10.1.0.2/24 scope global v1\\       valid_lft forever'),
    ).toEqual({
      ifindex: 2,
      deleted: false,
    });
    expect(
      lineInterface('[nsid current]Deleted 3: v0    inet6 fe80::d09f:a8ff:fe54:3698/64 scope link tentative'),
    ).toEqual({ ifindex: 3, deleted: false });
  });

  it('gives nothing for namespace-id lines and unknown forms', () => {
    expect(lineInterface('[nsid 0]nsid 0 (iproute2 netns name: a)')).toBeUndefined();
    expect(lineInterface('Deleted nsid 4')).toBeUndefined();
    expect(lineInterface('')).toBeUndefined();
  });
});

// Route and netconf lines as `ip -o monitor all-nsid link address route netconf nsid` printed
// them here (iproute2 6.1, kernel 6.18): an address added, routes typed by hand, forwarding set.
describe('lineSubject: routes and settings', () => {
  it('reads route lines, with the device they name, and never takes an interface line for one', () => {
    const lines: [string, string | null, boolean][] = [
      ['[nsid current]10.9.0.0/24 dev d0 proto kernel scope link src 10.9.0.1 ', 'd0', true],
      ['[nsid current]local 10.9.0.1 dev d0 table local proto kernel scope host src 10.9.0.1 ', 'd0', false],
      ['[nsid 3]multicast ff00::/8 dev d1 table local proto kernel metric 256 pref medium', 'd1', false],
      ['[nsid 3]fe80::/64 dev d1 proto kernel metric 256 pref medium', 'd1', true],
      ['[nsid current]10.77.0.0/16 via 10.9.0.2 dev d0 ', 'd0', true],
      ['[nsid current]Deleted 10.77.0.0/16 via 10.9.0.2 dev d0 ', 'd0', true],
      ['[nsid 0]default via 10.0.1.254 dev eth0 ', 'eth0', true],
      ['[nsid current]blackhole 10.88.0.0/16 ', null, true],
      ['[nsid current]10.66.0.0/16 dev d0 table 100 scope link ', 'd0', false],
      ['[nsid current]10.67.0.0/16 dev d0 table main scope link ', 'd0', true],
    ];
    for (const [line, dev, main] of lines) expect(lineSubject(line), line).toEqual({ route: { dev, main } });
    expect(lineSubject('[nsid current]3: d0    inet 10.9.0.1/24 scope global d0')).toEqual({
      iface: { ifindex: 3, deleted: false },
    });
    expect(lineRoute('[nsid 0]nsid 0 (iproute2 netns name: a)')).toBeUndefined();
  });

  it('tells the forwarding of "all" from a device’s own settings', () => {
    expect(lineSubject('[nsid current]inet all forwarding on ')).toEqual({ netconf: 'forwarding' });
    expect(lineSubject('[nsid 4]inet all forwarding off ')).toEqual({ netconf: 'forwarding' });
    for (const line of [
      '[nsid current]inet default forwarding on ',
      '[nsid current]inet d0 forwarding on ',
      '[nsid current]inet d0 rp_filter loose ',
      '[nsid current]inet6 d1 forwarding off mc_forwarding off proxy_neigh off ignore_routes_with_linkdown off ',
      '[nsid current]inet d1 forwarding off rp_filter off mc_forwarding off proxy_neigh off ignore_routes_with_linkdown off ',
    ])
      expect(lineSubject(line), line).toEqual({ netconf: 'device' });
  });
});

describe('lineSubject, over lines made at random', () => {
  const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/);
  const prefix = fc.constantFrom('', '[nsid current]', '[nsid 7]', '[nsid current]Deleted ', 'Deleted ');
  const ipv4 = fc
    .tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(32))
    .map(([a, b, c, p]) => `${a}.${b}.${c}.0/${p}`);

  it('takes every link and address line for its interface, never for a route or a setting', () => {
    fc.assert(
      fc.property(prefix, fc.integer({ min: 1, max: 99999 }), name, ipv4, (pre, ifindex, ifname, net) => {
        const link = lineSubject(`${pre}${ifindex}: ${ifname}@if2: <BROADCAST,UP> mtu 1500 qdisc noqueue`);
        const addr = lineSubject(`${pre}${ifindex}: ${ifname}    inet ${net} scope global ${ifname}`);
        expect(link).toEqual({ iface: { ifindex, ifname, deleted: pre.includes('Deleted') } });
        expect(addr).toEqual({ iface: { ifindex, deleted: false } });
      }),
    );
  });

  it('reads a route line’s device and table whatever its type, and never throws on any line', () => {
    const type = fc.constantFrom('', 'local ', 'broadcast ', 'unreachable ', 'blackhole ', 'prohibit ');
    const table = fc.constantFrom('', ' table main', ' table local', ' table 100');
    fc.assert(
      fc.property(prefix, type, ipv4, name, table, (pre, t, net, dev, tbl) => {
        expect(lineSubject(`${pre}${t}${net} dev ${dev}${tbl} proto kernel scope link `)).toEqual({
          route: { dev, main: tbl === '' || tbl === ' table main' },
        });
      }),
    );
    fc.assert(fc.property(fc.string(), (line) => void lineSubject(line)));
  });
});
