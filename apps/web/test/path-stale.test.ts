import type { ObservedPatch, PathResult } from '@netcanvas/model';
import { beforeEach, describe, expect, it } from 'vitest';
import { applyServerMessage } from '../src/protocol/apply-message';
import { changedSinceText, pathActions, usePath } from '../src/path/path-store';
import { useSession } from '../src/store/session';

// A packet path's verdict is of the lab as the probe found it: a change of what it crossed, seen
// in the observed state's patches, marks it out of date (the panel and the tool say "trace again").

const result: PathResult = {
  request: { from: 'ns2', to: '10.0.1.1', protocol: 'icmp', port: null },
  probe: { context: 'ns2', argv: ['ping'], exitCode: 1, stderr: '', durationMs: 1 },
  answered: false,
  hops: [
    {
      namespace: 'ns2',
      inInterface: null,
      outInterface: 'eth0',
      route: 'dev eth0',
      source: '10.0.1.2',
      destination: '10.0.1.1',
      hooks: [],
      neighbour: null,
      bridges: [{ namespace: 'root', bridge: 'br0', inPort: 'p2', outPort: 'p1', mac: null }],
      commands: [],
    },
  ],
  end: {
    kind: 'dropped',
    namespace: 'ns1',
    verdict: {
      hook: 'INPUT',
      table: 'filter',
      chain: 'INPUT',
      by: 'rule',
      index: 0,
      text: '-A INPUT -p icmp -j DROP',
      target: 'DROP',
      packets: 1,
    },
  },
  commands: [],
  durationMs: 5,
};

const patched = (...patches: ObservedPatch[]) =>
  applyServerMessage({ type: 'observed', takenAt: '2026-01-01T00:00:00Z', patches });
const run = () => {
  const now = usePath.getState().run;
  if (!now) throw new Error('no path asked for');
  return now;
};

const aRoute = {
  to: '10.9.0.0/16',
  via: '10.0.1.1',
  dev: 'br0',
  protocol: 'static',
  metric: null,
  managed: false,
};
const aRule = {
  table: 'filter',
  chain: 'INPUT',
  args: ['-p', 'icmp', '-j', 'DROP'],
  managed: false,
  packets: 0,
  bytes: 0,
};
const noRules = { chains: [], rules: [] };

/** The page's state before the answer: ns1 drops ICMP, the root has one route; ns2's routes not read yet. */
const lab = () =>
  ({
    target: 'sandbox lab t',
    takenAt: '2026-01-01T00:00:00Z',
    namespaces: [
      { name: 'root', managed: true, fdb: [], interfaces: [], routes: [aRoute] },
      { name: 'ns1', managed: true, fdb: [], interfaces: [], firewall: { chains: [], rules: [aRule] } },
      { name: 'ns2', managed: true, fdb: [], interfaces: [{ ifindex: 2, ifname: 'eth0', addresses: [] }] },
    ],
  }) as never;

/** An interface as the kernel reports it: a veth (peer given) or a bridge, up. */
const nic = (ifname: string, kind: string, over: Record<string, unknown> = {}) => ({
  ifindex: 1,
  ifname,
  kind,
  up: true,
  operstate: 'UP',
  flags: [],
  mtu: 1500,
  mac: null,
  master: null,
  managed: true,
  group: '0',
  alias: null,
  addresses: [],
  stp: null,
  stats: null,
  peer: null,
  ...over,
});
const peer = (namespace: string, ifname: string) => ({ peer: { namespace, ifindex: 1, ifname } });

/**
 * h1 and h2 are on br0 in the root (by veths p1, p2); h9 is on br1 (p9), another segment, and has
 * a direct veth v0 to h8.
 */
const segmentLab = () =>
  ({
    target: 'sandbox lab t',
    takenAt: '2026-01-01T00:00:00Z',
    namespaces: [
      {
        name: 'root',
        managed: true,
        fdb: [],
        interfaces: [
          nic('br0', 'bridge'),
          nic('br1', 'bridge'),
          nic('p1', 'veth', { master: 'br0', ...peer('h1', 'eth0') }),
          nic('p2', 'veth', { master: 'br0', ...peer('h2', 'eth0') }),
          nic('p9', 'veth', { master: 'br1', ...peer('h9', 'eth0') }),
        ],
      },
      {
        name: 'h1',
        managed: true,
        fdb: [],
        interfaces: [nic('eth0', 'veth', { addresses: ['10.1.0.1/24'], ...peer('root', 'p1') })],
      },
      {
        name: 'h2',
        managed: true,
        fdb: [],
        interfaces: [nic('eth0', 'veth', { addresses: ['10.1.0.2/24'], ...peer('root', 'p2') })],
      },
      {
        name: 'h9',
        managed: true,
        fdb: [],
        interfaces: [
          nic('eth0', 'veth', { addresses: ['10.1.0.9/24'], ...peer('root', 'p9') }),
          nic('v0', 'veth', { addresses: ['10.9.0.9/24'], ...peer('h8', 'v0') }),
        ],
      },
      { name: 'h8', managed: true, fdb: [], interfaces: [nic('v0', 'veth', peer('h9', 'v0'))] },
    ],
  }) as never;

/** h1 → 10.1.0.99, which nobody has: h1's ARP request on eth0 (to br0) gets no answer. */
const noArpResult: PathResult = {
  ...result,
  request: { from: 'h1', to: '10.1.0.99', protocol: 'icmp', port: null },
  hops: [
    {
      ...result.hops[0]!,
      namespace: 'h1',
      outInterface: 'eth0',
      source: '10.1.0.1',
      destination: '10.1.0.99',
      neighbour: { address: '10.1.0.99', dev: 'eth0', state: 'FAILED', mac: null },
      bridges: [],
    },
  ],
  end: { kind: 'noArp', namespace: 'h1', address: '10.1.0.99', dev: 'eth0' },
};

beforeEach(() => {
  useSession.setState({ observed: lab() });
  pathActions.start({
    requestId: 'p1',
    from: 'ns2',
    to: '10.0.1.1',
    protocol: 'icmp',
    port: null,
    result: null,
    error: null,
    errorField: null,
  });
});

describe('a packet path’s verdict', () => {
  it('is out of date once the firewall of a namespace on the path changed after the answer', () => {
    patched({ op: 'firewall', ns: 'ns1', firewall: noRules }); // before the answer: not this verdict's
    patched({ op: 'firewall', ns: 'ns1', firewall: { chains: [], rules: [aRule] } });
    applyServerMessage({ type: 'pathResult', requestId: 'p1', result });
    expect(run().changedIn).toBeUndefined();
    // The same rules said again (a read of them), counters aside: nothing changed.
    patched({ op: 'firewall', ns: 'ns1', firewall: { chains: [], rules: [{ ...aRule, packets: 9 }] } });
    expect(run().changedIn).toBeUndefined();
    patched({ op: 'firewall', ns: 'ns1', firewall: noRules });
    expect(run().changedIn).toBe('ns1');
    expect(changedSinceText(run())).toBe('Out of date: ns1 changed since this trace; trace again.');
  });

  it('stays when what changed is off the path, or only learned MACs and orders', () => {
    applyServerMessage({ type: 'pathResult', requestId: 'p1', result });
    patched(
      { op: 'routes', ns: 'ns9', routes: [] },
      { op: 'fdb', ns: 'root', put: [], drop: [] },
      { op: 'interfaceOrder', ns: 'ns1', ifnames: [] },
    );
    expect(run().changedIn).toBeUndefined();
    // ns2's routes read for the first time, the root's said again: what the probe saw, not a change.
    patched({ op: 'routes', ns: 'ns2', routes: [aRoute] }, { op: 'routes', ns: 'root', routes: [aRoute] });
    expect(run().changedIn).toBeUndefined();
    patched({ op: 'routes', ns: 'root', routes: [] }); // where the bridge it crossed is
    expect(run().changedIn).toBe('root');
  });

  it('stays when a namespace’s routes are said again in another order', () => {
    const other = { ...aRoute, to: 'fe80::/64', protocol: 'kernel' };
    patched({ op: 'routes', ns: 'root', routes: [aRoute, other] });
    applyServerMessage({ type: 'pathResult', requestId: 'p1', result });
    patched({ op: 'routes', ns: 'root', routes: [other, aRoute] });
    expect(run().changedIn).toBeUndefined();
    patched({ op: 'routes', ns: 'root', routes: [other] });
    expect(run().changedIn).toBe('root');
  });

  it('stays when only IPv6 changed (the path follows IPv4): a route, a global address', () => {
    const v6 = { ...aRoute, to: '2001:db8::/64', via: null, protocol: 'boot' };
    const v6Default = { ...aRoute, to: 'default', via: 'fe80::1', protocol: 'boot' };
    applyServerMessage({ type: 'pathResult', requestId: 'p1', result });
    patched({ op: 'routes', ns: 'root', routes: [aRoute, v6, v6Default] });
    patched({ op: 'link', ns: 'ns2', ifname: 'eth0', set: { addresses: ['2001:db8:77::1/64'] } });
    expect(run().changedIn).toBeUndefined();
    patched({
      op: 'link',
      ns: 'ns2',
      ifname: 'eth0',
      set: { addresses: ['2001:db8:77::1/64', '10.0.1.2/24'] },
    });
    expect(run().changedIn).toBe('ns2');
  });

  it('stays when a port only got its fe80 address (late, no event), not when it leaves its bridge', () => {
    const port = (addresses: string[]) => ({
      ifindex: 7,
      ifname: 'p2',
      kind: 'veth',
      up: true,
      operstate: 'UP',
      flags: [],
      mtu: 1500,
      mac: '02:00:00:00:00:02',
      master: 'br0',
      managed: true,
      group: '1',
      alias: null,
      addresses,
      stp: null,
      stats: null,
      peer: null,
    });
    useSession.setState({
      observed: {
        target: 'sandbox lab t',
        takenAt: '2026-01-01T00:00:00Z',
        namespaces: [{ name: 'root', managed: true, fdb: [], interfaces: [port([])] }],
      } as never,
    });
    applyServerMessage({ type: 'pathResult', requestId: 'p1', result });
    const fe80 = 'fe80::ff:fe00:2/64';
    patched({ op: 'link', ns: 'root', ifname: 'p2', set: { addresses: [fe80], kernelLinkLocal: [fe80] } });
    expect(run().changedIn).toBeUndefined();
    patched({ op: 'link', ns: 'root', ifname: 'p2', set: { addresses: [fe80, '10.0.1.9/24'] } });
    expect(run().changedIn).toBe('root');
    const { changedIn: _, ...asked } = run();
    pathActions.start({ ...asked, requestId: 'p2', result: null });
    applyServerMessage({ type: 'pathResult', requestId: 'p2', result });
    patched({ op: 'link', ns: 'root', ifname: 'p2', set: { master: null } });
    expect(run().changedIn).toBe('root');
  });

  it('ended with no ARP answer: out of date once a namespace on that link got an IPv4 address', () => {
    useSession.setState({ observed: segmentLab() });
    pathActions.start({ ...run(), requestId: 'p3', from: 'h1', to: '10.1.0.99', result: null });
    applyServerMessage({ type: 'pathResult', requestId: 'p3', result: noArpResult });
    // h9 is on another bridge (br1), its address answers no ARP on br0; an IPv6 one in h2 neither.
    patched({ op: 'link', ns: 'h9', ifname: 'eth0', set: { addresses: ['10.1.0.9/24', '10.1.0.99/24'] } });
    patched({ op: 'link', ns: 'h2', ifname: 'eth0', set: { addresses: ['10.1.0.2/24', '2001:db8::99/64'] } });
    patched({ op: 'routes', ns: 'h2', routes: [aRoute] }, { op: 'routes', ns: 'h2', routes: [] });
    expect(run().changedIn).toBeUndefined();
    // `ip -n h2 addr add 10.1.0.99/24 dev eth0`: h2, a port's peer on h1's bridge, would answer now.
    patched({
      op: 'link',
      ns: 'h2',
      ifname: 'eth0',
      set: { addresses: ['10.1.0.2/24', '2001:db8::99/64', '10.1.0.99/24'] },
    });
    expect(run().changedIn).toBe('h2');
  });

  it('ended with no ARP answer over a direct veth: its peer namespace counts, others do not', () => {
    useSession.setState({ observed: segmentLab() });
    const end = { kind: 'noArp' as const, namespace: 'h9', address: '10.9.0.99', dev: 'v0' };
    const direct = {
      ...noArpResult,
      end,
      hops: [{ ...noArpResult.hops[0]!, namespace: 'h9', outInterface: 'v0' }],
    };
    pathActions.start({ ...run(), requestId: 'p4', from: 'h9', to: '10.9.0.99', result: null });
    applyServerMessage({ type: 'pathResult', requestId: 'p4', result: direct });
    patched({ op: 'link', ns: 'h2', ifname: 'eth0', set: { addresses: ['10.9.0.99/24'] } });
    expect(run().changedIn).toBeUndefined();
    patched({ op: 'link', ns: 'h8', ifname: 'v0', set: { addresses: ['10.9.0.99/24'] } });
    expect(run().changedIn).toBe('h8');
  });

  it('is fresh again when traced again', () => {
    applyServerMessage({ type: 'pathResult', requestId: 'p1', result });
    patched({ op: 'removeInterface', ns: 'ns2', ifname: 'eth0' });
    const { changedIn, ...asked } = run();
    expect(changedIn).toBe('ns2');
    pathActions.start({ ...asked, requestId: 'p2', result: null });
    applyServerMessage({ type: 'pathResult', requestId: 'p2', result });
    expect(run().changedIn).toBeUndefined();
  });
});
