import { formatError } from '../src/cli/errors';
import { classDestroyedText } from '../src/cli/class';
import { LabBusyError } from '../src/core/agent-lock';
import { describe, expect, test } from 'vitest';
import { Lab, plan } from '@netcanvas/kernel';
import { validateTopology, type Topology } from '@netcanvas/model';
import { renderObserved } from '../src/cli/observed-listing';
import { labNameProblem } from '../src/cli/options';
import { table, truncateList } from '../src/cli/output';
import { planScript } from '../src/cli/plan-script';

const vethPair = (() => {
  const result = validateTopology({
    schemaVersion: 1,
    namespaces: [{ name: 'ns0' }, { name: 'ns1' }],
    links: [
      {
        a: { node: 'ns0', ifname: 'veth0', addresses: ['10.0.1.1/24'] },
        b: { node: 'ns1', ifname: 'veth1', addresses: ['10.0.1.2/24'] },
      },
    ],
  });
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value as Topology;
})();

describe('apply --dry-run script', () => {
  test('plans a new sandbox from an empty root: a runnable script, a reason before each command', () => {
    const lines = planScript(plan(vethPair, Lab.emptyState('demo')), {
      selector: { lab: 'demo' },
      file: 'veth.json',
      labExists: false,
    });
    expect(lines[0]).toBe('#!/bin/sh');
    expect(lines).toContain('set -e');
    expect(lines.some((l) => l.includes('shell --lab demo < plan.sh'))).toBe(true);
    const body = lines.slice(lines.indexOf('set -e') + 1);
    expect(body.length % 2).toBe(0);
    body.forEach((line, i) => expect(line.startsWith('#')).toBe(i % 2 === 0));
    expect(body).toContain('ip netns add ns0');
    expect(body).toContain('ip -n ns0 addr add 10.0.1.1/24 dev veth0');
  });

  test('quotes what a shell would split or read, so each line pastes: a LOG prefix with spaces', () => {
    const doc = validateTopology({
      ...vethPair,
      namespaces: [
        {
          name: 'ns0',
          firewall: {
            rules: [
              {
                chain: 'INPUT',
                source: '10.9.0.0/16',
                not: ['source'],
                target: 'LOG',
                logPrefix: 'DROP IN: ',
              },
            ],
          },
        },
        { name: 'ns1' },
      ],
    });
    if (!doc.ok) throw new Error(JSON.stringify(doc.issues));
    const lines = planScript(plan(doc.value, Lab.emptyState('demo')), {
      selector: { lab: 'demo' },
      file: 'log.json',
      labExists: false,
    });
    expect(lines).toContain(
      "ip netns exec ns0 iptables -A INPUT ! -s 10.9.0.0/16 -m comment --comment netcanvas -j LOG --log-prefix 'DROP IN: '",
    );
  });

  test('prints only comments when there is nothing to do', () => {
    const lines = planScript(
      { steps: [], conflicts: [], notes: ['kept namespace "x"'] },
      {
        selector: { host: true },
        file: 'veth.json',
        labExists: true,
      },
    );
    expect(lines).toEqual([
      '# lab "host" already matches veth.json: nothing to do',
      '# note: kept namespace "x"',
    ]);
  });
});

describe('observe listing', () => {
  test('puts root first, marks hand-made interfaces, and shows peers and learned MACs', () => {
    const state = Lab.emptyState('demo');
    const lo = state.namespaces[0]?.interfaces[0];
    if (!lo) throw new Error('no lo');
    state.namespaces[0]?.interfaces.push({
      ...lo,
      ifindex: 3,
      ifname: 'br0',
      kind: 'bridge',
      managed: true,
      addresses: [],
    });
    state.namespaces[0]?.fdb.push({
      bridge: 'br0',
      mac: '02:00:00:00:00:01',
      port: 'veth-ns1',
      vlan: null,
      learned: true,
      ageSeconds: 4,
    });
    state.namespaces.push({
      name: 'ns0',
      managed: true,
      fdb: [],
      interfaces: [
        {
          ...lo,
          ifindex: 2,
          ifname: 'veth0',
          kind: 'veth',
          managed: true,
          peer: { namespace: 'ns1', ifname: 'veth1', ifindex: 2 },
        },
        { ...lo, ifindex: 4, ifname: 'byhand', kind: 'veth', managed: false },
      ],
    });
    const ns0 = state.namespaces.at(-1);
    if (ns0)
      ns0.firewall = {
        chains: [{ table: 'filter', name: 'INPUT', policy: 'ACCEPT', packets: 0, bytes: 0 }],
        rules: [
          {
            table: 'filter',
            chain: 'INPUT',
            args: ['-j', 'LOG', '--log-prefix', 'DROP IN: '],
            managed: false,
            packets: 0,
            bytes: 0,
          },
        ],
      };
    const text = renderObserved(state).join('\n');
    expect(text.indexOf('root  (managed')).toBeLessThan(text.indexOf('ns0  (managed)'));
    expect(text).toMatch(/^ {2}byhand .* unmanaged$/m);
    expect(text).not.toMatch(/^ {2}veth0 .*unmanaged/m);
    expect(text).toContain('peer ns1:veth1 (ifindex 2)');
    expect(text).toContain('02:00:00:00:00:01 → veth-ns1, 4 s ago');
    expect(text).toContain("-A INPUT -j LOG --log-prefix 'DROP IN: '  (unmanaged)");
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
});

describe('lab names', () => {
  test('accept the default lab and refuse paths and the host lab', () => {
    expect(labNameProblem('default')).toBeNull();
    expect(labNameProblem('t-cli-1')).toBeNull();
    expect(labNameProblem('host')).toMatch(/--host/);
    expect(labNameProblem('../x')).not.toBeNull();
    expect(labNameProblem('a b')).not.toBeNull();
  });
});

describe('text helpers', () => {
  test('truncateList keeps what fits and counts the rest', () => {
    expect(truncateList([], 20)).toBe('-');
    expect(truncateList(['ns0', 'ns1'], 20)).toBe('ns0, ns1');
    expect(truncateList(['ns0', 'ns1', 'ns2', 'ns3', 'ns4', 'ns5'], 20)).toBe('ns0, ns1 … +4 more');
  });

  test('table pads every column but the last', () => {
    expect(
      table([
        ['A', 'BB', 'C'],
        ['AAA', 'B', 'CC'],
      ]),
    ).toEqual(['A    BB  C', 'AAA  B   CC']);
  });
});

describe('error lines', () => {
  test('says a busy lab and a taken port in one plain line, not as an unexpected error', () => {
    const busy = formatError(new LabBusyError('default', 4242), false);
    expect(busy.lines).toEqual([
      'netcanvas: another agent (pid 4242) is serving lab "default"; stop it first, or serve another lab with --lab',
    ]);
    const taken = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:7878'), {
      code: 'EADDRINUSE',
    });
    expect(formatError(taken, false)).toEqual({
      lines: [
        'netcanvas: cannot listen on 127.0.0.1:7878: it is in use; choose another with --port or --listen',
      ],
      exitCode: 1,
    });
  });
});

describe('class destroy says what it did', () => {
  test('names the trainer’s lab it keeps, so "nothing to destroy" never reads as a fault', () => {
    expect(classDestroyedText('week3', 0, true)).toBe(
      'class "week3" has no student labs; nothing to destroy\n' +
        'the trainer\'s lab "week3" is a lab of its own and is kept: netcanvas destroy --lab week3 removes it',
    );
    expect(classDestroyedText('week3', 3, false)).toBe('destroyed 3 student labs');
  });
});
