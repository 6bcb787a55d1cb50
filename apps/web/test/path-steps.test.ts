import { describe, expect, it } from 'vitest';
import type { PathHop, PathResult } from '@netcanvas/model';
import { endKey, pathSteps } from '../src/path/path-steps';
import { hookWords, hopLines, hopTitle } from '../src/path/path-words';

// What the canvas and the path panel make of a packet path: router-nat's h1 → srv, as
// packages/kernel's tracePath answers it (its kernel test checks the kernel side).

const hop = (over: Partial<PathHop>): PathHop => ({
  namespace: 'h1',
  inInterface: null,
  outInterface: null,
  route: null,
  source: '10.1.0.11',
  destination: '10.2.0.100',
  hooks: [],
  neighbour: null,
  bridges: [],
  commands: [],
  ...over,
});

const masquerade = {
  hook: 'POSTROUTING' as const,
  table: 'nat',
  chain: 'POSTROUTING',
  by: 'rule' as const,
  index: 0,
  text: '-A POSTROUTING -s 10.1.0.0/24 -o eth1 -j MASQUERADE',
  target: 'MASQUERADE',
  packets: 1,
};

const result: PathResult = {
  request: { from: 'h1', to: '10.2.0.100', protocol: 'icmp', port: null },
  probe: { context: 'h1', argv: ['ping'], exitCode: 0, stderr: '', durationMs: 1 },
  answered: true,
  hops: [
    hop({
      outInterface: 'eth0',
      route: 'via 10.1.0.1 dev eth0 src 10.1.0.11',
      neighbour: { address: '10.1.0.1', dev: 'eth0', state: 'REACHABLE', mac: 'aa:bb:cc:dd:ee:01' },
      bridges: [
        { namespace: 'root', bridge: 'br-in', inPort: 'h1-p', outPort: 'r1-in', mac: 'aa:bb:cc:dd:ee:01' },
      ],
    }),
    hop({
      namespace: 'r1',
      inInterface: 'eth0',
      outInterface: 'eth1',
      route: 'dev eth1',
      hooks: [
        { hook: 'FORWARD', verdicts: [] },
        { hook: 'POSTROUTING', verdicts: [masquerade] },
      ],
      bridges: [
        { namespace: 'root', bridge: 'br-out', inPort: 'r1-out', outPort: null, mac: 'aa:bb:cc:dd:ee:02' },
      ],
    }),
    hop({ namespace: 'srv', inInterface: 'eth0', route: 'local', source: '10.2.0.1' }),
  ],
  end: { kind: 'delivered', namespace: 'srv', answered: true },
  commands: [],
  durationMs: 900,
};

describe('pathSteps', () => {
  it('numbers the namespaces and bridges in the order the packet met them, and marks the end', () => {
    const steps = pathSteps(result);
    expect(steps.nodes.map((s) => `${s.n}:${s.id}`)).toEqual([
      '1:h1',
      '2:br-in',
      '3:r1',
      '4:br-out',
      '5:srv',
    ]);
    expect(steps.end).toEqual({ id: 'srv', kind: 'delivered' });
    for (const [ctx, ifname] of [
      ['h1', 'eth0'],
      ['root', 'h1-p'],
      ['root', 'r1-in'],
      ['r1', 'eth1'],
      ['root', 'r1-out'],
      ['srv', 'eth0'],
    ])
      expect(steps.ends.has(endKey(ctx as string, ifname as string))).toBe(true);
    // h2's port was not on the way.
    expect(steps.ends.has(endKey('root', 'h2-p'))).toBe(false);
  });

  it('marks a drop as a stop where it happened', () => {
    const dropped = pathSteps({
      ...result,
      hops: result.hops.slice(0, 2),
      end: { kind: 'dropped', namespace: 'r1', verdict: { ...masquerade, target: 'DROP' } },
    });
    expect(dropped.end).toEqual({ id: 'r1', kind: 'stopped' });
  });
});

describe('the path panel words', () => {
  it('say each hop: its sides, route, hooks, ARP entry and bridges', () => {
    expect(result.hops.map(hopTitle)).toEqual(['h1 (out eth0)', 'r1 (in eth0, out eth1)', 'srv (in eth0)']);
    expect(hopLines(result.hops[0] as PathHop)).toEqual([
      'route to 10.2.0.100: via 10.1.0.1 dev eth0 src 10.1.0.11',
      'ARP: 10.1.0.1 is aa:bb:cc:dd:ee:01 on eth0 (REACHABLE)',
      'bridge br-in: in h1-p, out r1-in (aa:bb:cc:dd:ee:01 learned there)',
    ]);
    expect(hopLines(result.hops[1] as PathHop)).toEqual([
      'route to 10.2.0.100: dev eth1',
      'FORWARD: passed (no rules here)',
      'POSTROUTING: nat POSTROUTING rule 1: -A POSTROUTING -s 10.1.0.0/24 -o eth1 -j MASQUERADE (1 packet)',
      'bridge br-out: in r1-out, flooded (aa:bb:cc:dd:ee:02 not in its table)',
    ]);
    expect(
      hookWords({
        hook: 'FORWARD',
        verdicts: [{ ...masquerade, by: 'policy', target: 'DROP', table: 'filter', chain: 'FORWARD' }],
      }),
    ).toBe('FORWARD: filter FORWARD policy DROP');
  });
});
