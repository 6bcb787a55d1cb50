import {
  FirewallRule,
  ruleCounterKey,
  validateTopology,
  type NamespaceSpec,
  type ObservedNamespace,
  type ObservedState,
} from '@netcanvas/model';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { matchRules, netfilterDrift, routeMatches, ruleCommand, ruleText } from '../src/adapters/netfilter';
import { countersActions, useCounters } from '../src/store/counters';

const rule = (input: object): FirewallRule => FirewallRule.parse(input);
const masquerade = rule({
  table: 'nat',
  chain: 'POSTROUTING',
  source: '10.1.0.0/24',
  outInterface: 'eth1',
  target: 'MASQUERADE',
});
const dropIcmp = rule({ table: 'filter', chain: 'FORWARD', protocol: 'icmp', target: 'DROP' });
const MARK = ['-m', 'comment', '--comment', 'netcanvas'];

function observedNs(extra: Partial<ObservedNamespace>): ObservedNamespace {
  return { name: 'r1', managed: true, interfaces: [], fdb: [], ...extra };
}

describe('rules as a person reads them', () => {
  it('drops the lab’s comment and puts the table first for nat', () => {
    expect(ruleText(['-s', '10.1.0.0/24', ...MARK, '-j', 'MASQUERADE'])).toBe('-s 10.1.0.0/24 -j MASQUERADE');
    expect(ruleCommand(masquerade)).toBe(
      'iptables -t nat -A POSTROUTING -s 10.1.0.0/24 -o eth1 -j MASQUERADE',
    );
    expect(ruleCommand(dropIcmp)).toBe('iptables -A FORWARD -p icmp -j DROP');
  });

  it('shows every option as a command that pastes: a spaced LOG prefix quoted, "!" bare', () => {
    const log = rule({
      chain: 'INPUT',
      source: '10.0.0.0/8',
      not: ['source'],
      target: 'LOG',
      logPrefix: "DROP IN: it's",
      logLevel: 6,
    });
    expect(ruleCommand(log)).toBe(
      `iptables -A INPUT ! -s 10.0.0.0/8 -j LOG --log-prefix 'DROP IN: it'\\''s' --log-level 6`,
    );
    const ttl = rule({ table: 'mangle', chain: 'FORWARD', target: 'TTL', ttlSet: 64 });
    expect(ruleCommand(ttl)).toBe('iptables -t mangle -A FORWARD -j TTL --ttl-set 64');
    expect(ruleText(['-m', 'multiport', '!', '--dports', '22,80', ...MARK, '-j', 'DROP'])).toBe(
      '-m multiport ! --dports 22,80 -j DROP',
    );
  });
});

describe('desired rules against the kernel’s', () => {
  it('finds each desired rule’s index among its chain’s rules, hand-made ones included', () => {
    const fw = {
      chains: [],
      rules: [
        {
          table: 'filter',
          chain: 'FORWARD',
          args: ['-p', 'tcp', '-j', 'ACCEPT'],
          managed: false,
          packets: 0,
          bytes: 0,
        },
        {
          table: 'filter',
          chain: 'FORWARD',
          args: ['-p', 'icmp', ...MARK, '-j', 'DROP'],
          managed: true,
          packets: 0,
          bytes: 0,
        },
      ],
    };
    expect(matchRules([dropIcmp, masquerade], fw)).toEqual([1, null]);
    expect(matchRules([dropIcmp], undefined)).toBeUndefined();
  });

  it('reports forwarding, routes and rules that differ as drift', () => {
    const doc = validateTopology({
      schemaVersion: 1,
      namespaces: [
        {
          name: 'r1',
          forwarding: true,
          routes: [{ to: '10.9.0.0/24', dev: 'eth0' }],
          firewall: {
            rules: [dropIcmp],
            policies: [
              { chain: 'FORWARD', policy: 'DROP' },
              { table: 'mangle', chain: 'FORWARD', policy: 'DROP' },
            ],
          },
        },
        { name: 'h1' },
      ],
      links: [{ a: { node: 'r1', ifname: 'eth0' }, b: { node: 'h1', ifname: 'eth0' } }],
    });
    if (!doc.ok) throw new Error(JSON.stringify(doc.issues));
    const spec = doc.value.namespaces[0]!;
    const o = observedNs({
      forwarding: false,
      routes: [{ to: '10.8.0.0/24', via: null, dev: 'eth0', protocol: '203', metric: null, managed: true }],
      firewall: {
        chains: [
          { table: 'filter', name: 'FORWARD', policy: 'DROP', packets: 0, bytes: 0 },
          { table: 'mangle', name: 'FORWARD', policy: 'ACCEPT', packets: 0, bytes: 0 },
        ],
        rules: [],
      },
    });
    expect(netfilterDrift(spec, o)).toEqual([
      'forwarding off, desired on',
      'route 10.9.0.0/24 dev eth0 missing',
      'the lab’s route 10.8.0.0/24 dev eth0 is not in the topology',
      '1 firewall rule missing',
      'policy of mangle FORWARD ACCEPT, desired DROP',
    ]);
    expect(
      routeMatches(spec.routes[0]!, {
        to: '10.9.0.0/24',
        via: null,
        dev: 'eth0',
        protocol: '203',
        metric: null,
        managed: true,
      }),
    ).toBe(true);
  });
});

describe('route drift with a route of the topology taken over by hand', () => {
  it('says it made or changed by hand, not missing', () => {
    const spec = {
      name: 'h1',
      routes: [{ to: 'default', via: '10.1.0.1' }],
      firewall: { chains: [], policies: [], rules: [] },
    } as unknown as NamespaceSpec;
    const route = (via: string) => ({
      to: 'default',
      via,
      dev: 'eth0',
      protocol: 'boot',
      metric: null,
      managed: false,
    });
    expect(netfilterDrift(spec, observedNs({ routes: [route('10.1.0.1')] }))).toEqual([
      'route default via 10.1.0.1 made by hand (proto boot)',
    ]);
    expect(netfilterDrift(spec, observedNs({ routes: [route('10.1.0.254')] }))).toEqual([
      "the default route's gateway changed by hand (proto boot): 10.1.0.1 → 10.1.0.254",
    ]);
  });
});

describe('live rule counters', () => {
  afterEach(() => {
    vi.useRealTimers();
    countersActions.clear();
  });

  const state = (rules: { args: string[]; packets: number }[]): ObservedState => ({
    target: { kind: 'sandbox', lab: 'x', pid: 1 },
    takenAt: '',
    namespaces: [
      observedNs({
        firewall: {
          chains: [],
          rules: rules.map((r) => ({ table: 'filter', chain: 'FORWARD', managed: true, bytes: 0, ...r })),
        },
      }),
    ],
  });

  it('lights a rule whose counter rose, for a moment, and not one that only shifted', () => {
    vi.useFakeTimers();
    const before = state([{ args: ['-j', 'DROP'], packets: 2 }]);
    countersActions.seed(before);
    const key = ruleCounterKey('r1', 'filter', 'FORWARD', 0);
    expect(useCounters.getState().counters.get(key)?.lit).toBe(false);

    countersActions.apply([['r1', 'filter', 'FORWARD', 0, 5, 420]], 'now', before);
    expect(useCounters.getState().counters.get(key)).toMatchObject({ packets: 5, delta: 3, lit: true });
    expect(useCounters.getState().hot.has('r1')).toBe(true);
    vi.advanceTimersByTime(3500);
    expect(useCounters.getState().counters.get(key)?.lit).toBe(false);
    expect(useCounters.getState().hot.has('r1')).toBe(false);

    // A rule inserted first: index 0 now counts another rule, which does not light up.
    const after = state([
      { args: ['-j', 'ACCEPT'], packets: 9 },
      { args: ['-j', 'DROP'], packets: 5 },
    ]);
    countersActions.apply([['r1', 'filter', 'FORWARD', 0, 9, 900]], 'later', after);
    expect(useCounters.getState().counters.get(key)).toMatchObject({ packets: 9, lit: false });

    // A rule that is gone is forgotten, so a new one at its place starts from zero.
    countersActions.prune(state([]), ['r1']);
    expect(useCounters.getState().counters.has(key)).toBe(false);
  });
});
