import type { ElkNode, ElkPort } from 'elkjs/lib/elk-api';
import { describe, expect, it } from 'vitest';
import {
  BRIDGE_HEIGHT,
  CARD_WIDTH,
  bridgeWidth,
  cardHeight,
  portCentre,
  rowCentre,
} from '../src/adapters/geometry';
import {
  axisPlaces,
  components,
  elkInput,
  portId,
  type NetLink,
  type NetNode,
  type Network,
} from '../src/adapters/layout-input';

// What the layout hands ELK: which node stands where along the picture's axis (bridges and
// routers in the middle), ports at each interface's own row or place on the bar, on the side
// facing its peer, rows in the document's order, namespaces grouped by what they hang off.

const card = (id: string, ...ifnames: string[]): NetNode => ({
  id,
  kind: 'card',
  width: CARD_WIDTH,
  height: cardHeight(ifnames.length + 1),
  ifnames: ['lo', ...ifnames],
});
const bridge = (id: string, ...ports: string[]): NetNode => ({
  id,
  kind: 'bridge',
  width: bridgeWidth(ports.length),
  height: BRIDGE_HEIGHT,
  ifnames: ports,
});
const link = (a: string, b: string): NetLink => {
  const [an, ai] = a.split(':') as [string, string];
  const [bn, bi] = b.split(':') as [string, string];
  return { id: `${a}-${b}`, a: { node: an, ifname: ai }, b: { node: bn, ifname: bi } };
};

/** examples/router-nat.json's shape. */
const routerNat: Network = {
  nodes: [
    card('h1', 'eth0'),
    card('h2', 'eth0'),
    card('r1', 'eth0', 'eth1'),
    card('srv', 'eth0'),
    bridge('br-in', 'h1-p', 'h2-p', 'r1-in'),
    bridge('br-out', 'r1-out', 'srv-p'),
  ],
  links: [
    link('br-in:h1-p', 'h1:eth0'),
    link('br-in:h2-p', 'h2:eth0'),
    link('br-in:r1-in', 'r1:eth0'),
    link('br-out:r1-out', 'r1:eth1'),
    link('br-out:srv-p', 'srv:eth0'),
  ],
};

const bridgeLab: Network = {
  nodes: [card('ns1', 'eth0'), card('ns2', 'eth0'), card('ns3', 'eth0'), bridge('br0', 'v1', 'v2', 'v3')],
  links: [link('br0:v1', 'ns1:eth0'), link('br0:v2', 'ns2:eth0'), link('br0:v3', 'ns3:eth0')],
};

const pair: Network = {
  nodes: [card('ns0', 'veth0'), card('ns1', 'veth1')],
  links: [link('ns0:veth0', 'ns1:veth1')],
};

const portsOf = (g: ElkNode, node: string): ElkPort[] => g.children?.find((c) => c.id === node)?.ports ?? [];
const portOf = (g: ElkNode, node: string, ifname: string): ElkPort | undefined =>
  portsOf(g, node).find((p) => p.id === portId(node, ifname));
const sideOf = (p: ElkPort | undefined) => p?.layoutOptions?.['elk.port.side'];

describe('axisPlaces: bridges and routers in the middle, hosts around', () => {
  it('router-nat: the router at the centre, a bridge on each side, the hosts outside them', () => {
    const places = axisPlaces(routerNat);
    expect(Object.fromEntries(places)).toEqual({ r1: 0, 'br-in': -1, 'br-out': 1, h1: -2, h2: -2, srv: 2 });
  });

  it('a bridge with three namespaces keeps them on one side (the tutorial picture)', () => {
    expect(Object.fromEntries(axisPlaces(bridgeLab))).toEqual({ br0: 0, ns1: 1, ns2: 1, ns3: 1 });
  });

  it('a bridge with more namespaces has them on both sides, half each', () => {
    const big: Network = {
      nodes: [bridge('br0', 'a', 'b', 'c', 'd', 'e', 'f'), ...'abcdef'.split('').map((n) => card(n, 'eth0'))],
      links: 'abcdef'.split('').map((n) => link(`br0:${n}`, `${n}:eth0`)),
    };
    const places = axisPlaces(big);
    expect(['a', 'b', 'c'].map((n) => places.get(n))).toEqual([-1, -1, -1]);
    expect(['d', 'e', 'f'].map((n) => places.get(n))).toEqual([1, 1, 1]);
  });

  it('a router between two hosts (no bridge) stands between them', () => {
    const chain: Network = {
      nodes: [card('ns1', 'eth0'), card('r', 'eth0', 'eth1'), card('ns2', 'eth0')],
      links: [link('ns1:eth0', 'r:eth0'), link('r:eth1', 'ns2:eth0')],
    };
    expect(Object.fromEntries(axisPlaces(chain))).toEqual({ r: 0, ns1: -1, ns2: 1 });
  });
});

describe('elkInput: layered, ports per interface', () => {
  it('with a bridge, top to bottom; each port on the bar at its own place, facing its peer', () => {
    const g = elkInput(routerNat);
    expect(g.layoutOptions?.['elk.algorithm']).toBe('layered');
    expect(g.layoutOptions?.['elk.direction']).toBe('DOWN');
    const brIn = g.children?.find((c) => c.id === 'br-in');
    expect(brIn?.layoutOptions?.['elk.portConstraints']).toBe('FIXED_POS');
    // The hosts are above br-in, the router below it.
    expect(['h1-p', 'h2-p', 'r1-in'].map((p) => sideOf(portOf(g, 'br-in', p)))).toEqual([
      'NORTH',
      'NORTH',
      'SOUTH',
    ]);
    // Along the bar in the document's order, where the bridge draws them.
    expect(['h1-p', 'h2-p', 'r1-in'].map((p) => (portOf(g, 'br-in', p)?.x ?? 0) + 1)).toEqual(
      [0, 1, 2].map(portCentre),
    );
    expect(['r1-out', 'srv-p'].map((p) => sideOf(portOf(g, 'br-out', p)))).toEqual(['NORTH', 'SOUTH']);
  });

  it('every veth goes from the outer hosts towards the middle and on out: one way through', () => {
    const g = elkInput(routerNat);
    const nodeOf = (end: string) => end.split('\u0000')[0];
    const edges = (g.edges ?? []).map((e) => `${nodeOf(e.sources[0] ?? '')}>${nodeOf(e.targets[0] ?? '')}`);
    expect(edges.sort()).toEqual(['br-in>r1', 'br-out>srv', 'h1>br-in', 'h2>br-in', 'r1>br-out']);
  });

  it("a card's rows are ports at the rows' own heights, in the document's order, on the side given", () => {
    const sides = new Map([
      [portId('r1', 'eth0'), 'WEST' as const],
      [portId('r1', 'eth1'), 'EAST' as const],
    ]);
    const g = elkInput(routerNat, sides);
    const eth0 = portOf(g, 'r1', 'eth0');
    const eth1 = portOf(g, 'r1', 'eth1');
    expect(sideOf(eth0)).toBe('WEST');
    expect(sideOf(eth1)).toBe('EAST');
    expect((eth0?.y ?? 0) + 1).toBe(rowCentre(1));
    expect((eth1?.y ?? 0) + 1).toBe(rowCentre(2));
    expect(eth0?.x).toBeLessThan(0);
    expect(eth1?.x).toBe(CARD_WIDTH);
    // Without a side known yet (the first run, top to bottom), a card has no ports.
    expect(portsOf(elkInput(routerNat), 'r1')).toEqual([]);
  });

  it('without a bridge, left to right, each row facing its peer across the veth', () => {
    const g = elkInput(pair);
    expect(g.layoutOptions?.['elk.direction']).toBe('RIGHT');
    expect(sideOf(portOf(g, 'ns0', 'veth0'))).toBe('EAST');
    expect(sideOf(portOf(g, 'ns1', 'veth1'))).toBe('WEST');
    expect((portOf(g, 'ns1', 'veth1')?.y ?? 0) + 1).toBe(rowCentre(1));
  });

  it("groups namespaces by what they hang off, in its ports' order", () => {
    const net: Network = {
      nodes: [
        card('x2', 'eth0'),
        card('y1', 'eth0'),
        card('x1', 'eth0'),
        card('y2', 'eth0'),
        card('r', 'eth0', 'eth1'),
        bridge('bx', 'p1', 'p2', 'pr'),
        bridge('by', 'pr', 'p1', 'p2'),
      ],
      links: [
        link('bx:p1', 'x1:eth0'),
        link('bx:p2', 'x2:eth0'),
        link('by:p1', 'y1:eth0'),
        link('by:p2', 'y2:eth0'),
        link('bx:pr', 'r:eth0'),
        link('by:pr', 'r:eth1'),
      ],
    };
    const order = (elkInput(net).children ?? []).map((c) => c.id);
    expect(order.filter((id) => id.startsWith('x'))).toEqual(['x1', 'x2']);
    expect(order.filter((id) => id.startsWith('y'))).toEqual(['y1', 'y2']);
    // Each bridge's namespaces next to each other in the order ELK is given.
    expect(Math.abs(order.indexOf('x1') - order.indexOf('x2'))).toBe(1);
    expect(Math.abs(order.indexOf('y1') - order.indexOf('y2'))).toBe(1);
  });
});

describe('components', () => {
  it("splits a lab into its connected parts, each in the document's order", () => {
    const net: Network = {
      nodes: [card('p0', 'v'), card('p1', 'v'), card('alone'), ...bridgeLab.nodes],
      links: [link('p0:v', 'p1:v'), ...bridgeLab.links],
    };
    expect(components(net).map((p) => p.nodes.map((n) => n.id))).toEqual([
      ['p0', 'p1'],
      ['alone'],
      ['ns1', 'ns2', 'ns3', 'br0'],
    ]);
  });
});
