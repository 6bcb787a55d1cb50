import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab, LabInputError } from '@netcanvas/kernel';
import {
  findInterface,
  pathEndText,
  verdictText,
  type ObservedState,
  type PathRequestInput,
  type PathResult,
} from '@netcanvas/model';
import { loadExample, testLab } from './lab-fixture';

// A packet's path on the real kernel, in one sandbox holding the router-nat example:
// h1 (10.1.0.11) ─ br-in ─ r1 (forwarding; nat POSTROUTING -s 10.1.0.0/24 -o eth1 MASQUERADE) ─ br-out ─ srv (10.2.0.100).

let lab: Lab;
/** The lab as read once after it was made (what the agent passes: its live state), so each trace does not read it again. */
let observed: ObservedState;
const trace = (request: PathRequestInput) => lab.tracePath(request, observed);

beforeAll(async () => {
  lab = await testLab('path');
  const { report } = await lab.converge(loadExample('router-nat.json'), { dryRun: false });
  if (!report?.ok) throw new Error(`apply failed: ${JSON.stringify(report?.failed)}`);
  observed = await lab.observe({ firewall: false });
});
afterAll(async () => {
  await lab?.destroy({ force: true });
});

const hookNames = (result: PathResult, ns: string) =>
  result.hops.find((h) => h.namespace === ns)?.hooks.map((h) => h.hook) ?? [];
const verdictsAt = (result: PathResult, ns: string, hook: string) =>
  result.hops
    .find((h) => h.namespace === ns)
    ?.hooks.find((h) => h.hook === hook)
    ?.verdicts.map(verdictText) ?? [];

/** Runs `argv` in r1 (or another namespace), failing the test if the command fails. */
async function inLab(ns: string, argv: string[]) {
  const done = await lab.run(ns, argv, { timeoutMs: 5000 });
  if (done.exitCode !== 0) throw new Error(`${argv.join(' ')}: ${done.stderr}`);
}

describe('a packet path in router-nat', () => {
  it('h1 → srv by ICMP: through both bridges and r1, FORWARD and POSTROUTING (MASQUERADE), delivered', async () => {
    const result = await trace({ from: 'h1', to: '10.2.0.100' });
    expect(pathEndText(result.end)).toBe('delivered to srv');
    expect(result.hops.map((h) => `${h.namespace}:${h.inInterface ?? '-'}>${h.outInterface ?? '-'}`)).toEqual(
      ['h1:->eth0', 'r1:eth0>eth1', 'srv:eth0>-'],
    );
    expect(result.hops[0]?.route).toBe('via 10.1.0.1 dev eth0 src 10.1.0.11');
    expect(result.hops[0]?.neighbour).toMatchObject({
      address: '10.1.0.1',
      state: expect.not.stringMatching(/FAILED|INCOMPLETE/),
    });
    expect(result.hops[0]?.bridges).toEqual([
      expect.objectContaining({ bridge: 'br-in', inPort: 'h1-p', outPort: 'r1-in' }),
    ]);
    expect(result.hops[1]?.bridges).toEqual([
      expect.objectContaining({ bridge: 'br-out', inPort: 'r1-out', outPort: 'srv-p' }),
    ]);
    expect(hookNames(result, 'r1')).toEqual(['PREROUTING', 'FORWARD', 'POSTROUTING']);
    expect(verdictsAt(result, 'r1', 'POSTROUTING')).toEqual([
      'nat POSTROUTING rule 1: -A POSTROUTING -s 10.1.0.0/24 -o eth1 -m comment --comment netcanvas -j MASQUERADE',
    ]);
    // srv sees the router's address: MASQUERADE rewrote the source.
    expect(result.hops[2]).toMatchObject({ source: '10.2.0.1', destination: '10.2.0.100', route: 'local' });
    expect(result.answered).toBe(true);
    expect(result.probe.argv).toEqual([
      'ip',
      'netns',
      'exec',
      'h1',
      'ping',
      '-n',
      '-c',
      '1',
      '-W',
      '1',
      '10.2.0.100',
    ]);
    expect(result.hops[1]?.commands.map((c) => c.argv.join(' '))).toContain(
      'ip netns exec r1 ip -j route get 10.2.0.100 from 10.1.0.11 iif eth0',
    );
  });

  it('TCP to a port no one listens on is delivered (the reset is the answer)', async () => {
    const result = await trace({ from: 'h1', to: '10.2.0.100', protocol: 'tcp', port: 8080 });
    expect(pathEndText(result.end)).toBe('delivered to srv');
    expect(result.answered).toBe(true);
    expect(verdictsAt(result, 'r1', 'POSTROUTING')[0]).toMatch(/MASQUERADE$/);
  });

  it('with a DROP rule on ICMP in r1 FORWARD, the path ends at that rule; TCP still passes', async () => {
    await inLab('r1', ['iptables', '-A', 'FORWARD', '-p', 'icmp', '-j', 'DROP']);
    try {
      const result = await trace({ from: 'h1', to: '10.2.0.100' });
      expect(pathEndText(result.end)).toBe(
        'dropped here (r1), by filter FORWARD rule 1: -A FORWARD -p icmp -j DROP',
      );
      expect(result.hops.map((h) => h.namespace)).toEqual(['h1', 'r1']);
      expect(result.answered).toBe(false);
      const tcp = await trace({ from: 'h1', to: '10.2.0.100', protocol: 'tcp', port: 22 });
      expect(tcp.end.kind).toBe('delivered');
      expect(verdictsAt(tcp, 'r1', 'FORWARD')).toEqual(['filter FORWARD policy ACCEPT']);
    } finally {
      await inLab('r1', ['iptables', '-D', 'FORWARD', '-p', 'icmp', '-j', 'DROP']);
    }
  });

  it('UDP to a port dropped in r1 FORWARD ends at that rule', async () => {
    await inLab('r1', ['iptables', '-A', 'FORWARD', '-p', 'udp', '--dport', '53', '-j', 'REJECT']);
    try {
      const result = await trace({ from: 'h1', to: '10.2.0.100', protocol: 'udp', port: 53 });
      expect(result.end).toMatchObject({
        kind: 'dropped',
        namespace: 'r1',
        verdict: { target: 'REJECT', chain: 'FORWARD' },
      });
    } finally {
      await inLab('r1', ['iptables', '-D', 'FORWARD', '-p', 'udp', '--dport', '53', '-j', 'REJECT']);
    }
  });

  it("with srv's address down, the path ends at r1: no ARP answer", async () => {
    await inLab('srv', ['ip', 'addr', 'del', '10.2.0.100/24', 'dev', 'eth0']);
    try {
      // While r1's cache holds srv's MAC it sends there, and srv refuses it. A permanent entry
      // stands for the cache (a learned one ages by the clock, which a loaded machine bends).
      const mac = findInterface(observed, 'srv', 'eth0')?.mac ?? 'none';
      await inLab('r1', [
        'ip',
        'neigh',
        'replace',
        '10.2.0.100',
        'lladdr',
        mac,
        'dev',
        'eth1',
        'nud',
        'permanent',
      ]);
      const cached = await trace({ from: 'h1', to: '10.2.0.100' });
      await inLab('r1', ['ip', 'neigh', 'del', '10.2.0.100', 'dev', 'eth1']);
      expect(pathEndText(cached.end)).toBe(
        'dropped here (srv): no route (10.2.0.100 is not an address of srv, and srv does not forward (net.ipv4.ip_forward = 0))',
      );
      // With no entry, r1 asks ARP, and nobody answers.
      const result = await trace({ from: 'h1', to: '10.2.0.100' });
      expect(pathEndText(result.end)).toBe('dropped here (r1): no ARP answer for 10.2.0.100 on eth1');
      expect(result.hops.at(-1)?.neighbour?.state).toMatch(/INCOMPLETE|FAILED/);
    } finally {
      await inLab('srv', ['ip', 'addr', 'add', '10.2.0.100/24', 'dev', 'eth0']);
    }
  });

  it('a packet forwarded into a blackhole (unreachable) route ends there, the route and ICMP error said', async () => {
    await inLab('r1', ['ip', 'route', 'add', 'blackhole', '10.9.0.0/16']);
    await inLab('r1', ['ip', 'route', 'add', 'unreachable', '10.8.0.0/16']);
    try {
      // The walk names the route from the state it is given: read again, as the agent's live state
      // would have it within milliseconds of the route (its monitor sees route lines).
      const now = await lab.observe({ firewall: false });
      const trace = (request: PathRequestInput) => lab.tracePath(request, now);
      const result = await trace({ from: 'h1', to: '10.9.0.1' });
      expect(result.end).toEqual({
        kind: 'typedRoute',
        namespace: 'r1',
        type: 'blackhole',
        to: '10.9.0.0/16',
        forwarded: true,
      });
      expect(pathEndText(result.end)).toBe(
        'dropped here (r1) by a blackhole route 10.9.0.0/16, silently (no ICMP error)',
      );
      const unreachable = await trace({ from: 'h1', to: '10.8.0.1' });
      expect(pathEndText(unreachable.end)).toBe(
        'dropped here (r1) by an unreachable route 10.8.0.0/16; the kernel answers ICMP host unreachable (type 3 code 1)',
      );
    } finally {
      await inLab('r1', ['ip', 'route', 'del', 'blackhole', '10.9.0.0/16']);
      await inLab('r1', ['ip', 'route', 'del', 'unreachable', '10.8.0.0/16']);
    }
  });

  it('an address no route leads to ends where the kernel has none', async () => {
    const result = await trace({ from: 'h1', to: '192.0.2.1' });
    expect(result.end).toMatchObject({ kind: 'noRoute' });
  });

  it('refuses a bad request with the field named', async () => {
    const fieldOf = async (input: Parameters<Lab['tracePath']>[0]) => {
      const error: unknown = await lab.tracePath(input).catch((e: unknown) => e);
      return error instanceof LabInputError ? error.field : String(error);
    };
    expect(await fieldOf({ from: 'h1', to: '10.2.0.300' })).toBe('to');
    expect(await fieldOf({ from: 'h1', to: '10.2.0.100', protocol: 'tcp' })).toBe('port');
    expect(await fieldOf({ from: 'nowhere', to: '10.2.0.100' })).toBe('from');
    expect(await fieldOf({ from: 'h1; reboot', to: '10.2.0.100' })).toBe('from');
  });
});
