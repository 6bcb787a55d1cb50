import { describe, expect, it } from 'vitest';
import { ruleArgs, validateTopology, type FirewallRule } from '../src';

const router = (extra: Record<string, unknown>) => ({
  schemaVersion: 1,
  namespaces: [{ name: 'r1', ...extra }, { name: 'h1' }],
  links: [
    {
      a: { node: 'r1', ifname: 'eth0', addresses: ['10.0.1.254/24'] },
      b: { node: 'h1', ifname: 'eth0', addresses: ['10.0.1.1/24'] },
    },
  ],
});
const issuesOf = (input: unknown) => {
  const result = validateTopology(input);
  return result.ok ? [] : result.issues;
};
const rule = (r: Record<string, unknown>) => router({ firewall: { rules: [r] } });

describe('firewall rules are refused with the path of the bad field', () => {
  it.each([
    [{ chain: 'INPUT', protocol: 'tcp', destinationPort: 70000, target: 'ACCEPT' }, 'destinationPort'],
    [{ chain: 'INPUT', protocol: 'tcp', destinationPort: '9000:80', target: 'ACCEPT' }, 'destinationPort'],
    [{ chain: 'INPUT', source: '10.0.1.0', target: 'DROP' }, 'source'],
    [{ chain: 'INPUT', source: '10.0.1.300/24', target: 'DROP' }, 'source'],
    [{ chain: 'INPUT', target: 'MASQUERADE' }, 'target'],
    [{ table: 'nat', chain: 'PREROUTING', target: 'MASQUERADE' }, 'target'],
    [{ table: 'nat', chain: 'POSTROUTING', target: 'DNAT', toDestination: '10.0.1.1' }, 'target'],
    [{ chain: 'FORWARD', target: 'TTL', ttlSet: 64 }, 'target'],
    [{ chain: 'INPUT', inInterface: '-eth0', target: 'ACCEPT' }, 'inInterface'],
    [{ chain: '-A', target: 'ACCEPT' }, 'chain'],
    [{ chain: 'INPUT', target: '-j' }, 'target'],
    [{ chain: 'INPUT', target: 'NOWHERE' }, 'target'],
    [{ chain: 'INPUT', destinationPort: 22, target: 'ACCEPT' }, 'protocol'],
    [{ chain: 'INPUT', outInterface: 'eth0', target: 'ACCEPT' }, 'outInterface'],
    [{ table: 'nat', chain: 'POSTROUTING', target: 'SNAT' }, 'toSource'],
    [{ chain: 'INPUT', source: '2001:db8::/64', target: 'DROP' }, 'source'],
    [{ chain: 'INPUT', target: 'LOG', logPrefix: 'has "quote"' }, 'logPrefix'],
    [{ chain: 'INPUT', target: 'LOG', logPrefix: '-j ACCEPT' }, 'logPrefix'],
    [{ chain: 'INPUT', target: 'LOG', logPrefix: 'a#b' }, 'logPrefix'],
    [{ chain: 'INPUT', target: 'LOG', logPrefix: 'x'.repeat(30) }, 'logPrefix'],
    [{ chain: 'INPUT', target: 'LOG', logLevel: 8 }, 'logLevel'],
    [{ chain: 'INPUT', target: 'ACCEPT', logLevel: 1 }, 'logLevel'],
    [{ table: 'nat', chain: 'POSTROUTING', target: 'DROP' }, 'target'],
    [{ chain: 'INPUT', target: 'NOTRACK' }, 'target'],
    [{ table: 'mangle', chain: 'INPUT', target: 'REJECT' }, 'target'],
    [{ table: 'raw', chain: 'PREROUTING', target: 'TOS', setTos: 16 }, 'target'],
    [{ chain: 'OUTPUT', target: 'DSCP', setDscp: 'EF' }, 'target'],
    [{ table: 'mangle', chain: 'INPUT', target: 'TTL' }, 'ttlSet'],
    [{ table: 'mangle', chain: 'INPUT', target: 'TTL', ttlSet: 1, ttlInc: 2 }, 'ttlSet'],
    [{ table: 'mangle', chain: 'INPUT', target: 'TTL', ttlInc: 0 }, 'ttlInc'],
    [{ table: 'mangle', chain: 'INPUT', target: 'TTL', ttlSet: 256 }, 'ttlSet'],
    [{ table: 'mangle', chain: 'INPUT', target: 'DSCP', setDscp: 64 }, 'setDscp'],
    [{ table: 'mangle', chain: 'INPUT', target: 'DSCP', setDscp: 'ef' }, 'setDscp'],
    [{ table: 'mangle', chain: 'INPUT', target: 'TOS', setTos: 256 }, 'setTos'],
    [{ table: 'mangle', chain: 'INPUT', target: 'TOS', setTosMask: 255 }, 'setTos'],
    [{ table: 'mangle', chain: 'INPUT', target: 'CONNMARK' }, 'setMark'],
    [{ table: 'mangle', chain: 'INPUT', target: 'CONNMARK', setMark: 1, connmarkAction: 'save' }, 'setMark'],
    [{ table: 'mangle', chain: 'INPUT', target: 'MARK', setMark: 1, nfMask: 1 }, 'nfMask'],
    [{ table: 'mangle', chain: 'INPUT', target: 'CONNMARK', setMark: 1, ctMask: 1 }, 'ctMask'],
    [{ table: 'mangle', chain: 'INPUT', target: 'MARK', setMark: 2 ** 32 }, 'setMark'],
    [{ chain: 'INPUT', target: 'REJECT', rejectWith: 'tcp-reset' }, 'rejectWith'],
    [
      { chain: 'INPUT', protocol: 'tcp', not: ['protocol'], target: 'REJECT', rejectWith: 'tcp-reset' },
      'rejectWith',
    ],
    [{ chain: 'INPUT', target: 'REJECT', rejectWith: 'icmp-echo-reply' }, 'rejectWith'],
    [{ chain: 'INPUT', target: 'DROP', rejectWith: 'tcp-reset' }, 'rejectWith'],
    [{ chain: 'INPUT', not: ['source'], target: 'DROP' }, 'not'],
    [{ chain: 'INPUT', source: '10.0.0.0/8', not: ['source', 'source'], target: 'DROP' }, 'not'],
    [{ chain: 'INPUT', source: '0.0.0.0/0', not: ['source'], target: 'DROP' }, 'source'],
    [{ chain: 'INPUT', protocol: 'all', not: ['protocol'], target: 'DROP' }, 'protocol'],
    [{ chain: 'INPUT', protocol: 'tcp', not: ['protocol'], destinationPort: 22, target: 'DROP' }, 'protocol'],
    [{ chain: 'INPUT', protocol: 'tcp', destinationPort: '0:65535', target: 'DROP' }, 'destinationPort'],
    [{ chain: 'INPUT', protocol: 'tcp', sourcePort: '00:65535', target: 'DROP' }, 'sourcePort'],
    [{ chain: 'INPUT', destinationPorts: [22], target: 'DROP' }, 'protocol'],
    [{ chain: 'INPUT', protocol: 'tcp', destinationPorts: [], target: 'DROP' }, 'destinationPorts'],
    [
      { chain: 'INPUT', protocol: 'tcp', destinationPorts: Array(16).fill(1), target: 'DROP' },
      'destinationPorts',
    ],
    [{ chain: 'INPUT', protocol: 'tcp', sourcePorts: Array(8).fill('1:2'), target: 'DROP' }, 'sourcePorts'],
    [{ chain: 'INPUT', protocol: 'icmp', sourcePorts: [1], target: 'DROP' }, 'protocol'],
    [{ chain: 'INPUT', protocol: 'tcp', icmpType: 8, target: 'DROP' }, 'protocol'],
    [{ chain: 'INPUT', protocol: 'icmp', icmpType: 255, target: 'DROP' }, 'icmpType'],
    [{ chain: 'INPUT', protocol: 'icmp', icmpType: '3/01', target: 'DROP' }, 'icmpType'],
    [{ chain: 'INPUT', sourceRange: '10.0.0.9-10.0.0.1', target: 'DROP' }, 'sourceRange'],
    [{ chain: 'INPUT', sourceRange: '10.0.0.1', target: 'DROP' }, 'sourceRange'],
    [{ chain: 'INPUT', destinationRange: '010.0.0.1-10.0.0.2', target: 'DROP' }, 'destinationRange'],
    [{ chain: 'INPUT', destinationRange: '2001:db8::1-2001:db8::2', target: 'DROP' }, 'destinationRange'],
    [{ chain: 'INPUT', mark: { value: -1 }, target: 'DROP' }, 'mark.value'],
    [{ chain: 'INPUT', connmark: { mask: 1 }, target: 'DROP' }, 'connmark.value'],
  ])('%j → %s', (bad, field) => {
    const found = issuesOf(rule(bad));
    expect(found.map((i) => i.path)).toContain(`namespaces[0].firewall.rules[0].${field}`);
  });

  it('explains where MASQUERADE belongs', () => {
    expect(issuesOf(rule({ chain: 'INPUT', target: 'MASQUERADE' }))[0]?.message).toMatch(
      /only nat POSTROUTING/,
    );
  });

  it('accepts a user chain declared in its table, and a jump to it', () => {
    const doc = router({
      firewall: {
        chains: [{ name: 'icmp-in' }],
        rules: [
          { chain: 'INPUT', protocol: 'icmp', target: 'icmp-in' },
          { chain: 'icmp-in', target: 'ACCEPT' },
        ],
      },
    });
    expect(issuesOf(doc)).toEqual([]);
  });
});

describe('routes', () => {
  it('need a gateway inside a connected subnet', () => {
    expect(issuesOf(router({ routes: [{ to: '10.0.2.0/24', via: '10.9.9.9' }] }))).toEqual([
      expect.objectContaining({ path: 'namespaces[0].routes[0].via' }),
    ]);
    expect(issuesOf(router({ routes: [{ to: '10.0.2.0/24', via: '10.0.1.1' }] }))).toEqual([]);
  });
  it('name an interface the namespace has', () => {
    expect(issuesOf(router({ routes: [{ to: 'default', dev: 'eth9' }] }))[0]?.path).toBe(
      'namespaces[0].routes[0].dev',
    );
  });
  it('are networks, not addresses with host bits', () => {
    const found = issuesOf(router({ routes: [{ to: '10.0.2.5/24', via: '10.0.1.1' }] }));
    expect(found[0]).toMatchObject({
      path: 'namespaces[0].routes[0].to',
      message: expect.stringContaining('10.0.2.0/24'),
    });
  });
  it('need via or dev', () => {
    expect(issuesOf(router({ routes: [{ to: 'default' }] }))[0]?.path).toBe('namespaces[0].routes[0].via');
  });
});

describe('ruleArgs', () => {
  it('writes a rule the way iptables -S prints it, with the lab comment', () => {
    const masquerade: FirewallRule = {
      table: 'nat',
      chain: 'POSTROUTING',
      source: '10.0.1.7/24',
      outInterface: 'eth1',
      target: 'MASQUERADE',
    };
    expect(ruleArgs(masquerade)).toEqual([
      '-s',
      '10.0.1.0/24',
      '-o',
      'eth1',
      '-m',
      'comment',
      '--comment',
      'netcanvas',
      '-j',
      'MASQUERADE',
    ]);
    const drop: FirewallRule = { table: 'filter', chain: 'FORWARD', protocol: 'icmp', target: 'DROP' };
    expect(ruleArgs(drop)).toEqual(['-p', 'icmp', '-m', 'comment', '--comment', 'netcanvas', '-j', 'DROP']);
    const ssh: FirewallRule = {
      table: 'filter',
      chain: 'INPUT',
      protocol: 'tcp',
      destinationPort: 22,
      state: ['ESTABLISHED', 'NEW'],
      target: 'REJECT',
    };
    expect(ruleArgs(ssh)).toEqual([
      '-p',
      'tcp',
      '-m',
      'tcp',
      '--dport',
      '22',
      '-m',
      'conntrack',
      '--ctstate',
      'NEW,ESTABLISHED',
      '-m',
      'comment',
      '--comment',
      'netcanvas',
      '-j',
      'REJECT',
      '--reject-with',
      'icmp-port-unreachable',
    ]);
  });
});

describe('chain policies', () => {
  const policies = (list: unknown[]) => issuesOf(router({ firewall: { policies: list } }));
  it('are set on the built-in chains of raw, mangle and filter; filter when no table is named', () => {
    expect(
      policies([
        { chain: 'FORWARD', policy: 'DROP' },
        { table: 'mangle', chain: 'FORWARD', policy: 'DROP' },
        { table: 'mangle', chain: 'POSTROUTING', policy: 'ACCEPT' },
        { table: 'raw', chain: 'PREROUTING', policy: 'DROP' },
      ]),
    ).toEqual([]);
    const doc = validateTopology(router({ firewall: { policies: [{ chain: 'INPUT', policy: 'DROP' }] } }));
    expect(doc.ok && doc.value.namespaces[0]?.firewall.policies).toEqual([
      { table: 'filter', chain: 'INPUT', policy: 'DROP' },
    ]);
  });
  it.each([
    [{ table: 'nat', chain: 'PREROUTING', policy: 'DROP' }, 'table', /nat table takes no policy/],
    [{ table: 'raw', chain: 'INPUT', policy: 'DROP' }, 'chain', /raw table has no built-in chain INPUT/],
    [{ chain: 'POSTROUTING', policy: 'DROP' }, 'chain', /filter table has no built-in chain/],
    [{ chain: 'custom', policy: 'DROP' }, 'chain', /PREROUTING/],
    [{ chain: 'INPUT', policy: 'RETURN' }, 'policy', /ACCEPT/],
  ])('refuse %j at %s', (policy, field, message) => {
    const found = policies([policy]);
    expect(found).toEqual([
      expect.objectContaining({
        path: `namespaces[0].firewall.policies[0].${field}`,
        message: expect.stringMatching(message),
      }),
    ]);
  });
  it('are given once per chain', () => {
    expect(
      policies([
        { chain: 'INPUT', policy: 'DROP' },
        { table: 'mangle', chain: 'INPUT', policy: 'DROP' },
        { table: 'filter', chain: 'INPUT', policy: 'ACCEPT' },
      ]),
    ).toEqual([
      expect.objectContaining({
        path: 'namespaces[0].firewall.policies[2].chain',
        message: 'the policy of filter INPUT is given twice',
      }),
    ]);
  });
});
