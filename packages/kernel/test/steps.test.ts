import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderArgv, stepText, touchedBy, type Step } from '@netcanvas/model';
import { batchLine, isPlainStep } from '../src/apply';
import * as cmd from '../src/commands';

/** What each builder says as data: its operation and its effect. */
describe('typed steps: operation and effect', () => {
  const route = { to: '10.9.0.0/24', via: '10.0.0.1', dev: null, metric: null };
  it.each<[string, Step, Partial<Step>]>([
    [
      'netnsAdd',
      cmd.netnsAdd('ns0'),
      { op: 'netnsAdd', effect: { createsNamespace: 'ns0', destroys: false, touches: ['ns0'] } },
    ],
    [
      'netnsSetAuto',
      cmd.netnsSetAuto('ns0'),
      {
        op: 'netnsSetAuto',
        effect: { destroys: false, touches: ['root'], interfaces: [], numbersNamespace: 'ns0' },
      },
    ],
    [
      'netnsDel',
      cmd.netnsDel('ns0'),
      { op: 'netnsDel', effect: { deletesNamespace: 'ns0', destroys: true, touches: ['ns0'] } },
    ],
    [
      'linkDel',
      cmd.linkDel('ns1', 'veth1', 'x'),
      {
        op: 'linkDel',
        effect: {
          deletesLinks: ['veth1'],
          destroys: true,
          touches: ['ns1'],
          interfaces: [{ context: 'ns1', ifname: 'veth1' }],
        },
      },
    ],
    [
      'linkSetMaster',
      cmd.linkSetMaster('root', 'vb1', 'br0', 'x'),
      {
        op: 'linkSet',
        effect: {
          joinsBridge: 'br0',
          destroys: false,
          touches: ['root'],
          interfaces: [
            { context: 'root', ifname: 'vb1' },
            { context: 'root', ifname: 'br0' },
          ],
        },
      },
    ],
    [
      'linkSetNomaster',
      cmd.linkSetNomaster('root', 'vb1', 'br0', 'x'),
      { op: 'linkSet', effect: { destroys: false, touches: ['root'] } },
    ],
    [
      'bridgeAdd',
      cmd.bridgeAdd('ns2', 'br0', { stp: true }),
      {
        op: 'linkAdd',
        effect: { destroys: false, touches: ['ns2'], interfaces: [{ context: 'ns2', ifname: 'br0' }] },
      },
    ],
    [
      'vethAdd across namespaces',
      cmd.vethAdd({ context: 'ns0', ifname: 'a' }, { context: 'ns1', ifname: 'b' }),
      {
        op: 'linkAdd',
        context: 'root',
        effect: {
          destroys: false,
          touches: ['ns0', 'ns1'],
          interfaces: [
            { context: 'ns0', ifname: 'a' },
            { context: 'ns1', ifname: 'b' },
          ],
        },
      },
    ],
    [
      'addrAdd',
      cmd.addrAdd('ns0', 'veth0', '10.0.1.1/24'),
      {
        op: 'addrAdd',
        effect: { destroys: false, touches: ['ns0'], interfaces: [{ context: 'ns0', ifname: 'veth0' }] },
      },
    ],
    [
      'addrDel',
      cmd.addrDel('ns0', 'veth0', '10.0.1.1/24'),
      {
        op: 'addrDel',
        effect: { destroys: true, touches: ['ns0'], interfaces: [{ context: 'ns0', ifname: 'veth0' }] },
      },
    ],
    [
      'routeAdd',
      cmd.routeAdd('ns0', route),
      { op: 'routeAdd', effect: { destroys: false, touches: ['ns0'] } },
    ],
    [
      'routeReplace',
      cmd.routeReplace('ns0', route, 'x'),
      { op: 'routeReplace', effect: { destroys: false, touches: ['ns0'] } },
    ],
    [
      'routeDel',
      cmd.routeDel('ns0', route),
      { op: 'routeDel', effect: { destroys: true, touches: ['ns0'] } },
    ],
    [
      'setForwarding',
      cmd.setForwarding('r1', true),
      { op: 'sysctl', context: 'root', namespace: 'r1', effect: { destroys: false, touches: ['r1'] } },
    ],
    [
      'iptables -A',
      cmd.iptables('r1', 'nat', ['-A', 'POSTROUTING', '-j', 'MASQUERADE'], 'x'),
      { op: 'iptables', context: 'root', namespace: 'r1', effect: { destroys: false, touches: ['r1'] } },
    ],
    ...(['-D', '-F', '-X'] as const).map((verb): [string, Step, Partial<Step>] => [
      `iptables ${verb}`,
      cmd.iptables('root', 'filter', [verb, 'INPUT'], 'x'),
      { op: 'iptables', namespace: 'root', effect: { destroys: true, touches: ['root'] } },
    ]),
  ])('%s', (_name, step, expected) => {
    expect(step).toMatchObject(expected);
    expect(step.effect).toEqual(expected.effect);
  });

  it('says which contexts a list of steps touched, each once', () => {
    const steps = [cmd.netnsAdd('ns0'), cmd.linkSetUp('ns0', 'lo', true, 'x'), cmd.setForwarding('r1', true)];
    expect(touchedBy(steps)).toEqual(['ns0', 'r1']);
  });
});

/** The three renderings (argv, batch line, text) of each kind of step, exactly as before. */
describe('typed steps: renderings', () => {
  const route = { to: '::/0', via: null, dev: 'eth0', metric: 10 };
  it('renders a route with the lab protocol, in a namespace and in the root', () => {
    const inNs = cmd.routeReplace('ns0', { ...route, to: '10.9.0.0/24', via: '10.0.0.1' }, 'x');
    expect(inNs.argv).toEqual(
      'ip -n ns0 route replace 10.9.0.0/24 via 10.0.0.1 dev eth0 metric 10 proto 203'.split(' '),
    );
    expect(batchLine(inNs)).toBe('route replace 10.9.0.0/24 via 10.0.0.1 dev eth0 metric 10 proto 203');
    expect(cmd.routeDel('root', route).argv).toEqual(
      'ip route del ::/0 dev eth0 metric 10 proto 203'.split(' '),
    );
  });

  it('renders sysctl in a namespace as ip netns exec, in the root batch', () => {
    const step = cmd.setForwarding('r1', false);
    expect(step.argv).toEqual(['ip', 'netns', 'exec', 'r1', 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=0']);
    expect(batchLine(step)).toBe('netns exec r1 sysctl -q -w net.ipv4.ip_forward=0');
    expect(isPlainStep(step)).toBe(false);
  });

  it('renders iptables in a namespace as ip netns exec, and in the root plainly, on its own', () => {
    const args = ['-A', 'INPUT', '-j', 'LOG', '--log-prefix', 'DROP IN: '];
    const inNs = cmd.iptables('r1', 'filter', args, 'x');
    expect(inNs.argv).toEqual(['ip', 'netns', 'exec', 'r1', 'iptables', ...args]);
    expect(stepText(inNs)).toBe("ip netns exec r1 iptables -A INPUT -j LOG --log-prefix 'DROP IN: '");
    expect(batchLine(inNs)).toBe('netns exec r1 iptables -A INPUT -j LOG --log-prefix "DROP IN: "');
    const inRoot = cmd.iptables('root', 'nat', ['-P', 'OUTPUT', 'ACCEPT'], 'x');
    expect(inRoot.argv).toEqual(['iptables', '-t', 'nat', '-P', 'OUTPUT', 'ACCEPT']);
    expect(isPlainStep(inRoot)).toBe(true);
    expect(() => batchLine(inRoot)).toThrow(/not an ip command/);
  });

  const name = fc.stringMatching(/^[a-z][a-z0-9_-]{0,14}$/);
  const context = fc.oneof(fc.constant('root'), name);
  const anyStep: fc.Arbitrary<Step> = fc.oneof(
    name.map((n) => cmd.netnsAdd(n)),
    name.map((n) => cmd.netnsDel(n)),
    fc.tuple(context, name, fc.boolean()).map(([c, d, up]) => cmd.linkSetUp(c, d, up, 'r')),
    fc
      .tuple(context, name, fc.integer({ min: 68, max: 65535 }))
      .map(([c, d, m]) => cmd.linkSetMtu(c, d, m, 'r')),
    fc.tuple(context, name, name).map(([c, d, b]) => cmd.linkSetMaster(c, d, b, 'r')),
    fc.tuple(context, name).map(([c, d]) => cmd.linkDel(c, d, 'r')),
    fc
      .tuple(context, name, context, name)
      .map(([ca, a, cb, b]) => cmd.vethAdd({ context: ca, ifname: a }, { context: cb, ifname: b })),
    fc.tuple(context, name).map(([c, d]) => cmd.addrAdd(c, d, '10.0.0.1/24')),
    fc.tuple(context, fc.boolean()).map(([c, on]) => cmd.setForwarding(c, on)),
    fc.tuple(context, name).map(([c, chain]) => cmd.iptables(c, 'filter', ['-N', chain], 'r')),
  );

  it('renders one command from the fields, however the step is made (property)', () => {
    fc.assert(
      fc.property(anyStep, (step) => {
        expect(step.argv).toEqual(renderArgv(step));
        expect(stepText(step)).toBe(step.argv.join(' '));
        // The batch line is the same command without what the session already says (`ip`, `-n NS`).
        if (!isPlainStep(step)) {
          const prefix = step.argv[1] === '-n' ? 3 : 1;
          expect(batchLine(step)).toBe(step.argv.slice(prefix).join(' '));
          expect(step.argv[0]).toBe('ip');
          if (step.context !== 'root') expect(step.argv.slice(1, 3)).toEqual(['-n', step.context]);
        }
      }),
    );
  });
});

/**
 * Nothing reads a step's command back: code that needs to know what a step does reads its `op`
 * and `effect`. This scan keeps it so in the sources (tests may look at the words they pin).
 */
describe('no code reads a command back', () => {
  const root = path.resolve(__dirname, '../../..');
  const sources = (dir: string): string[] =>
    readdirSync(dir).flatMap((entry) => {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) return entry === 'node_modules' ? [] : sources(full);
      return /\.tsx?$/.test(entry) ? [full] : [];
    });
  // Reading into an argv (`step.argv[3]`, `.includes('master')`), or taking it aside to read it
  // (`const a = step.argv;`); passing it whole to run or show is fine.
  const readsArgv =
    /(?<!process)\.argv\s*(\[|\.(at|includes|indexOf|lastIndexOf|slice|some|every|find|findIndex|filter|forEach|join)\()|=\s*[\w.]+\.argv\s*;/;
  const files = ['packages/model/src', 'packages/kernel/src', 'apps/agent/src', 'apps/web/src'].flatMap(
    (dir) => sources(path.join(root, dir)),
  );

  it('finds the sources it scans', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files.some((f) => f.endsWith('packages/kernel/src/apply.ts'))).toBe(true);
  });

  it('has no source that indexes or searches an argv', () => {
    const found = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, i) =>
          readsArgv.test(line) ? [`${path.relative(root, file)}:${i + 1}: ${line.trim()}`] : [],
        ),
    );
    expect(found).toEqual([]);
  });

  it('catches the kinds of reads it forbids', () => {
    for (const line of [
      'step.argv[3]',
      's.argv.includes("master")',
      'a.argv.at(-1)',
      'r.argv.forEach((x) => x)',
    ])
      expect(readsArgv.test(line)).toBe(true);
    for (const line of ['run(step.argv)', 'process.argv[2]', 'shellQuote(step.argv)', 'argv: step.argv,'])
      expect(readsArgv.test(line)).toBe(false);
  });
});
