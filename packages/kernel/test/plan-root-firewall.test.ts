import { describe, expect, it } from 'vitest';
import {
  ROOT,
  ruleArgs,
  validateTopology,
  type ObservedFirewall,
  type ObservedState,
  type Step,
  type Topology,
} from '@netcanvas/model';
import { isPlainStep, waves } from '../src/apply';
import * as cmd from '../src/commands';
import { plan } from '../src/plan';

// The lab's root's firewall, planned (issue 9, gap 2): pure, no kernel.

const doc = (root?: object): Topology => {
  const parsed = validateTopology({
    schemaVersion: 1,
    ...(root ? { root: { firewall: root } } : {}),
  });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
};
const bridgeAccept = { chain: 'FORWARD', inInterface: 'br0', outInterface: 'br0', target: 'ACCEPT' };
const masquerade = {
  table: 'nat',
  chain: 'POSTROUTING',
  source: '10.0.0.0/24',
  outInterface: 'up0',
  target: 'MASQUERADE',
};
const argsOf = (rule: object) => ruleArgs(doc({ rules: [rule] }).root!.firewall.rules[0]!);

/** A kernel whose root has the firewall given (undefined: not read), and nothing else. */
const observed = (
  firewall: ObservedFirewall | undefined,
  kind: 'sandbox' | 'host' = 'sandbox',
): ObservedState => ({
  target: kind === 'host' ? { kind, lab: 'host' } : { kind, lab: 'l', pid: 1 },
  takenAt: '2026-12-01T00:00:00.000Z',
  namespaces: [
    {
      name: ROOT,
      managed: kind === 'sandbox',
      interfaces: [],
      fdb: [],
      ...(firewall ? { firewall } : {}),
    },
  ],
});
const chain = (name: string, policy: string | null = 'ACCEPT', table = 'filter') => ({
  table,
  name,
  policy,
  packets: 0,
  bytes: 0,
});
const rule = (table: string, chainName: string, args: string[], managed: boolean) => ({
  table,
  chain: chainName,
  args,
  managed,
  packets: 0,
  bytes: 0,
});
const EMPTY: ObservedFirewall = { chains: [chain('INPUT'), chain('FORWARD'), chain('OUTPUT')], rules: [] };
const lines = (steps: Step[]) => steps.map((s) => `${s.context}: ${s.argv.join(' ')}`);

describe('the root’s firewall in a plan', () => {
  it('is plain iptables in the root, as a person types it in the lab', () => {
    const planned = plan(
      doc({ rules: [bridgeAccept, masquerade], policies: [{ chain: 'FORWARD', policy: 'DROP' }] }),
      observed(EMPTY),
    );
    expect(lines(planned.steps)).toEqual([
      'root: iptables -A FORWARD -i br0 -o br0 -m comment --comment netcanvas -j ACCEPT',
      'root: iptables -t nat -A POSTROUTING -s 10.0.0.0/24 -o up0 -m comment --comment netcanvas -j MASQUERADE',
      'root: iptables -P FORWARD DROP',
    ]);
    expect(planned.conflicts).toEqual([]);
  });

  it('plans nothing when the kernel has it, and nothing at all while the root’s firewall is unread', () => {
    const have: ObservedFirewall = {
      chains: [
        chain('INPUT'),
        chain('FORWARD', 'DROP'),
        chain('OUTPUT'),
        chain('POSTROUTING', 'ACCEPT', 'nat'),
      ],
      rules: [
        rule('filter', 'FORWARD', argsOf(bridgeAccept), true),
        rule('nat', 'POSTROUTING', argsOf(masquerade), true),
      ],
    };
    const want = doc({ rules: [bridgeAccept, masquerade], policies: [{ chain: 'FORWARD', policy: 'DROP' }] });
    expect(plan(want, observed(have)).steps).toEqual([]);
    expect(plan(want, observed(undefined)).steps).toEqual([]);
    expect(plan(doc(), observed(undefined)).steps).toEqual([]);
  });

  it('removes the lab’s rules the document no longer has, and never a hand-made one', () => {
    const have: ObservedFirewall = {
      chains: EMPTY.chains,
      rules: [
        rule('filter', 'FORWARD', ['-i', 'br0', '-j', 'ACCEPT'], false),
        rule('filter', 'FORWARD', argsOf(bridgeAccept), true),
        rule('nat', 'POSTROUTING', ['-o', 'eth0', '-j', 'MASQUERADE'], false),
      ],
    };
    expect(lines(plan(doc(), observed(have)).steps)).toEqual([
      'root: iptables -D FORWARD -i br0 -o br0 -m comment --comment netcanvas -j ACCEPT',
    ]);
  });

  it('on the host, changes only the lab’s rules: a policy the machine lacks is a conflict', () => {
    const have: ObservedFirewall = {
      chains: EMPTY.chains,
      rules: [rule('filter', 'FORWARD', ['-j', 'DOCKER-USER'], false)],
    };
    const want = doc({
      rules: [bridgeAccept],
      chains: [{ name: 'LAB' }],
      policies: [
        { chain: 'FORWARD', policy: 'DROP' },
        { chain: 'INPUT', policy: 'ACCEPT' },
        { table: 'mangle', chain: 'PREROUTING', policy: 'DROP' },
      ],
    });
    const planned = plan(want, observed(have, 'host'));
    expect(lines(planned.steps)).toEqual([
      'root: iptables -N LAB',
      'root: iptables -A FORWARD -i br0 -o br0 -m comment --comment netcanvas -j ACCEPT',
    ]);
    // INPUT is ACCEPT already: asking for it changes nothing, so it is no conflict.
    expect(planned.conflicts).toEqual([
      {
        path: 'root.firewall.policies[0]',
        message: expect.stringMatching(/FORWARD policy is ACCEPT: on the host/),
      },
      {
        path: 'root.firewall.policies[2]',
        message: expect.stringMatching(/machine's mangle PREROUTING policy is ACCEPT: on the host/),
      },
    ]);
  });
});

describe('plain steps (not ip) when applied', () => {
  it('are their own waves, in the order planned, apart from ip batches', () => {
    const a = cmd.netnsAdd('ns0');
    const b = cmd.iptables(ROOT, 'filter', ['-A', 'FORWARD', '-j', 'ACCEPT'], 'rule missing');
    const c = cmd.iptables(ROOT, 'nat', ['-P', 'OUTPUT', 'ACCEPT'], 'policy drift');
    const d = cmd.iptables('ns0', 'filter', ['-P', 'FORWARD', 'DROP'], 'policy drift');
    const e = cmd.linkSetUp('ns0', 'lo', true, 'lo is down');
    expect([a, b, c, d, e].map(isPlainStep)).toEqual([false, true, true, false, false]);
    expect(waves([a, b, c, d, e])).toEqual([[a], [b, c], [d], [e]]);
  });

  it('are written with iptables first in the root, and through ip netns exec in a namespace', () => {
    expect(cmd.iptables(ROOT, 'nat', ['-A', 'POSTROUTING', '-j', 'ACCEPT'], 'x').argv).toEqual([
      'iptables',
      '-t',
      'nat',
      '-A',
      'POSTROUTING',
      '-j',
      'ACCEPT',
    ]);
    expect(cmd.iptables('ns0', 'filter', ['-N', 'X'], 'x').argv).toEqual([
      'ip',
      'netns',
      'exec',
      'ns0',
      'iptables',
      '-N',
      'X',
    ]);
  });
});
