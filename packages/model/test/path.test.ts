import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PathEnd,
  PathRequest,
  afterNat,
  droppedBy,
  hookPass,
  inCidr,
  pathEndText,
  ruleMayMatch,
  type ObservedFirewall,
  type ProbePacket,
} from '../src';

// The packet path's pure parts: the request's checks, which rule a probe met (from counters
// before and after), and how NAT rewrites the probe for the next hop.

const probe: ProbePacket = {
  protocol: 'icmp',
  source: '10.1.0.11',
  destination: '10.2.0.100',
  port: null,
  inInterface: 'eth0',
  outInterface: 'eth1',
};

const wall = (
  rules: [string, string, string[], number][],
  policies: Record<string, string> = {},
): ObservedFirewall => ({
  chains: [
    ...['INPUT', 'FORWARD', 'OUTPUT'].map((name) => ({
      table: 'filter',
      name,
      policy: policies[name] ?? 'ACCEPT',
      packets: 0,
      bytes: 0,
    })),
    ...['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'].map((name) => ({
      table: 'nat',
      name,
      policy: 'ACCEPT',
      packets: 0,
      bytes: 0,
    })),
  ],
  rules: rules.map(([table, chain, args, packets]) => ({
    table,
    chain,
    args,
    managed: true,
    packets,
    bytes: 0,
  })),
});

describe('PathRequest', () => {
  const issues = (input: unknown) => {
    const parsed = PathRequest.safeParse(input);
    return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };

  it('takes a namespace, an IPv4 address, and a port for tcp and udp only', () => {
    expect(issues({ from: 'h1', to: '10.2.0.100' })).toEqual([]);
    expect(PathRequest.parse({ from: 'h1', to: '10.2.0.100' }).protocol).toBe('icmp');
    expect(issues({ from: 'h1', to: '10.2.0.100', protocol: 'tcp', port: 80 })).toEqual([]);
  });

  it('names the wrong field', () => {
    expect(issues({ from: 'h1', to: '10.2.0.300' })[0]).toMatch(/^to: .*not an IP address/);
    expect(issues({ from: 'h1', to: 'fd00::1' })[0]).toMatch(/^to: .*IPv4 only/);
    expect(issues({ from: 'h1', to: '10.0.0.1', protocol: 'tcp' })[0]).toMatch(/^port: tcp needs a port/);
    expect(issues({ from: 'h1', to: '10.0.0.1', protocol: 'udp', port: 0 })[0]).toMatch(/^port:/);
    expect(issues({ from: 'h1', to: '10.0.0.1', protocol: 'udp', port: 65536 })[0]).toMatch(/^port:/);
    expect(issues({ from: 'h1', to: '10.0.0.1', port: 80 })[0]).toMatch(/^port: ICMP has no port/);
    expect(issues({ from: 'h1;reboot', to: '10.0.0.1' })[0]).toMatch(/^from:/);
    expect(issues({ from: 'h1', to: '10.0.0.1', protocol: 'sctp' })[0]).toMatch(/^protocol:/);
    expect(issues({ from: 'h1', to: '10.0.0.1', extra: 1 })).not.toEqual([]);
  });
});

describe('which rule a probe met', () => {
  it('is the first rule of the chain whose counter the probe moved and that may match it', () => {
    const before = wall([
      ['filter', 'FORWARD', ['-p', 'tcp', '-j', 'DROP'], 5],
      ['filter', 'FORWARD', ['-p', 'icmp', '-j', 'DROP'], 0],
    ]);
    const after = wall([
      // Moved by other traffic (tcp): not the probe's.
      ['filter', 'FORWARD', ['-p', 'tcp', '-j', 'DROP'], 9],
      ['filter', 'FORWARD', ['-p', 'icmp', '-j', 'DROP'], 1],
    ]);
    const pass = hookPass('FORWARD', before, after, probe);
    expect(pass.verdicts).toEqual([
      expect.objectContaining({ table: 'filter', by: 'rule', index: 1, target: 'DROP', packets: 1 }),
    ]);
    expect(droppedBy(pass)?.text).toBe('-A FORWARD -p icmp -j DROP');
  });

  it('falls to the policy when no rule decided, and a DROP policy drops', () => {
    const accept = hookPass('FORWARD', wall([]), wall([]), probe);
    expect(accept.verdicts).toEqual([expect.objectContaining({ by: 'policy', target: 'ACCEPT' })]);
    expect(droppedBy(accept)).toBeNull();
    const drop = hookPass('FORWARD', wall([], { FORWARD: 'DROP' }), wall([], { FORWARD: 'DROP' }), probe);
    expect(droppedBy(drop)?.text).toBe('policy DROP');
  });

  it('passes a LOG rule on and follows a jump into a user chain', () => {
    const rules = (n: number): [string, string, string[], number][] => [
      ['filter', 'FORWARD', ['-j', 'LOG', '--log-prefix', 'seen'], n],
      ['filter', 'FORWARD', ['-j', 'CHECKS'], n],
      ['filter', 'CHECKS', ['-s', '10.1.0.0/24', '-j', 'REJECT'], n],
    ];
    const pass = hookPass('FORWARD', wall(rules(0)), wall(rules(1)), probe);
    expect(pass.verdicts.map((v) => `${v.chain}:${v.target}`)).toEqual([
      'FORWARD:LOG',
      'FORWARD:CHECKS',
      'CHECKS:REJECT',
    ]);
    expect(droppedBy(pass)?.chain).toBe('CHECKS');
  });

  it('lists each table at the hook in the kernel order, and none without the chain', () => {
    const masq: [string, string, string[], number][] = [
      ['nat', 'POSTROUTING', ['-s', '10.1.0.0/24', '-o', 'eth1', '-j', 'MASQUERADE'], 1],
    ];
    const pass = hookPass('POSTROUTING', wall(masq.map(([t, c, a]) => [t, c, a, 0])), wall(masq), probe);
    expect(pass.verdicts).toEqual([
      expect.objectContaining({ table: 'nat', target: 'MASQUERADE', index: 0 }),
    ]);
    expect(hookPass('POSTROUTING', undefined, undefined, probe).verdicts).toEqual([]);
    expect(afterNat(probe, pass, '10.2.0.1').source).toBe('10.2.0.1');
  });

  it('DNAT gives the probe a new destination and port', () => {
    const dnat: [string, string, string[], number][] = [
      [
        'nat',
        'PREROUTING',
        ['-p', 'tcp', '--dport', '80', '-j', 'DNAT', '--to-destination', '10.9.0.5:8080'],
        1,
      ],
    ];
    const tcp = { ...probe, protocol: 'tcp' as const, port: 80 };
    const pass = hookPass('PREROUTING', wall([]), wall(dnat), tcp);
    expect(afterNat(tcp, pass, null)).toMatchObject({ destination: '10.9.0.5', port: 8080 });
  });
});

describe('ruleMayMatch', () => {
  it('refuses what the probe cannot be', () => {
    expect(ruleMayMatch(['-p', 'tcp', '-j', 'DROP'], probe)).toBe(false);
    expect(ruleMayMatch(['!', '-p', 'icmp', '-j', 'DROP'], probe)).toBe(false);
    expect(ruleMayMatch(['-s', '10.1.0.0/24', '-o', 'eth1', '-j', 'MASQUERADE'], probe)).toBe(true);
    expect(ruleMayMatch(['-o', 'eth9', '-j', 'MASQUERADE'], probe)).toBe(false);
    expect(ruleMayMatch(['-o', 'eth+', '-j', 'MASQUERADE'], probe)).toBe(true);
    expect(ruleMayMatch(['-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'], probe)).toBe(
      false,
    );
    expect(ruleMayMatch(['-m', 'conntrack', '--ctstate', 'NEW', '-j', 'ACCEPT'], probe)).toBe(true);
    const tcp = { ...probe, protocol: 'tcp' as const, port: 443 };
    expect(ruleMayMatch(['-p', 'tcp', '-m', 'tcp', '--dport', '80', '-j', 'DROP'], tcp)).toBe(false);
    expect(ruleMayMatch(['-p', 'tcp', '-m', 'tcp', '--dport', '400:500', '-j', 'DROP'], tcp)).toBe(true);
    expect(ruleMayMatch(['-m', 'comment', '--comment', 'netcanvas', '-j', 'DROP'], tcp)).toBe(true);
  });

  it('matches an address against a prefix as the kernel does', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    const address = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
    fc.assert(
      fc.property(address, fc.integer({ min: 0, max: 32 }), (a, bits) => {
        const toNumber = (s: string) => s.split('.').reduce((acc, x) => acc * 256 + Number(x), 0);
        // The prefix of `a` itself always holds `a`; flipping a bit inside the prefix takes it out,
        // flipping one past the prefix does not.
        expect(inCidr(a, `${a}/${bits}`)).toBe(true);
        const flip = (bit: number) => {
          const n = (toNumber(a) ^ (2 ** bit)) >>> 0;
          return [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
        };
        if (bits > 0) expect(inCidr(flip(32 - bits), `${a}/${bits}`)).toBe(false);
        if (bits < 32) expect(inCidr(flip(31 - bits), `${a}/${bits}`)).toBe(true);
      }),
    );
  });
});

describe('pathEndText, a typed route', () => {
  const end = (type: 'blackhole' | 'unreachable' | 'prohibit', forwarded: boolean) =>
    pathEndText({ kind: 'typedRoute', namespace: 'r1', type, to: '10.9.0.0/16', forwarded });
  it('says a blackhole dropped it, silently', () => {
    expect(end('blackhole', true)).toBe(
      'dropped here (r1) by a blackhole route 10.9.0.0/16, silently (no ICMP error)',
    );
  });
  it('gives the ICMP error the kernel sends for a forwarded packet, the socket error at the source', () => {
    expect(end('unreachable', true)).toBe(
      'dropped here (r1) by an unreachable route 10.9.0.0/16; the kernel answers ICMP host unreachable (type 3 code 1)',
    );
    expect(end('prohibit', true)).toBe(
      'dropped here (r1) by a prohibit route 10.9.0.0/16; the kernel answers ICMP administratively prohibited (type 3 code 13)',
    );
    expect(end('unreachable', false)).toBe(
      'dropped here (r1) by an unreachable route 10.9.0.0/16; the sender gets "No route to host", nothing is sent',
    );
    expect(end('prohibit', false)).toContain('the sender gets "Permission denied"');
  });
  it('survives the wire (PathEnd parses it back)', () => {
    const typed = {
      kind: 'typedRoute',
      namespace: 'r1',
      type: 'prohibit',
      to: '10.9.0.0/16',
      forwarded: true,
    };
    expect(PathEnd.parse(typed)).toEqual(typed);
  });
});

describe('pathEndText', () => {
  it('says where and why it ended', () => {
    expect(pathEndText({ kind: 'delivered', namespace: 'srv', answered: true })).toBe('delivered to srv');
    expect(pathEndText({ kind: 'noArp', namespace: 'r1', address: '10.2.0.100', dev: 'eth1' })).toBe(
      'dropped here (r1): no ARP answer for 10.2.0.100 on eth1',
    );
  });
});
