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
    [{ chain: 'FORWARD', target: 'MARK', setMark: 1 }, 'target'],
    [{ chain: 'INPUT', inInterface: '-eth0', target: 'ACCEPT' }, 'inInterface'],
    [{ chain: '-A', target: 'ACCEPT' }, 'chain'],
    [{ chain: 'INPUT', target: '-j' }, 'target'],
    [{ chain: 'INPUT', target: 'NOWHERE' }, 'target'],
    [{ chain: 'INPUT', destinationPort: 22, target: 'ACCEPT' }, 'protocol'],
    [{ chain: 'INPUT', outInterface: 'eth0', target: 'ACCEPT' }, 'outInterface'],
    [{ table: 'nat', chain: 'POSTROUTING', target: 'SNAT' }, 'toSource'],
    [{ chain: 'INPUT', source: '2001:db8::/64', target: 'DROP' }, 'source'],
    [{ chain: 'INPUT', target: 'LOG', logPrefix: 'has space' }, 'logPrefix'],
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
