import { describe, expect, it } from 'vitest';
import {
  validateTopology,
  type HelperEffects,
  type ObservedInterface,
  type ObservedLinkEffects,
  type TopologyInput,
} from '@netcanvas/model';
import { fxStart, fxStop, qdiscDel, tbfBurstBytes, tbfSet } from '../src/effects/commands';
import { helperFileInode, parseHelperState, parseQdiscs } from '../src/effects/parse';
import { effectsInPlay, planEffects } from '../src/effects/plan';

const doc = (input: TopologyInput) => {
  const result = validateTopology(input);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
};
const pair = (effects: object | undefined, b: object = {}) =>
  doc({
    schemaVersion: 1,
    namespaces: [{ name: 'ns0' }, { name: 'ns1' }],
    links: [
      {
        a: { node: 'ns0', ifname: 'veth0', ...(effects && { effects }) },
        b: { node: 'ns1', ifname: 'veth1', ...b },
      },
    ],
  });
const helper = (more: Partial<HelperEffects>): HelperEffects => ({
  delayMs: 0,
  jitterMs: 0,
  reorderPercent: 0,
  lossPercent: 0,
  corruptPercent: 0,
  duplicatePercent: 0,
  ...more,
});
const iface = (effects: Partial<ObservedLinkEffects> | null, managed = true) =>
  ({
    ifname: 'x',
    managed,
    effects: effects && { out: null, in: null, qdisc: null, ...effects },
  }) as ObservedInterface;

/** Plans with one observed interface (ns0's veth0, or the one named), every namespace usable. */
const commands = (d: ReturnType<typeof doc>, seen?: ObservedInterface, at = 'ns0/veth0') => {
  const planned = planEffects(
    d,
    (c, i) => (`${c}/${i}` === at ? seen : undefined),
    () => true,
  );
  return { argv: planned.steps.map((s) => s.argv.join(' ')), conflicts: planned.conflicts };
};

describe('link effects: steps', () => {
  it('renders each command exactly', () => {
    expect(
      fxStart('ns0', 'veth0', 'out', helper({ delayMs: 100, jitterMs: 10, lossPercent: 2.5 }), 'x').argv,
    ).toEqual(
      'ip netns exec ns0 netcanvas-fx start --dev veth0 --dir out --delay 100 --jitter 10 --loss 2.5'.split(
        ' ',
      ),
    );
    expect(fxStop('root', 'veth-ns1', 'in', 'x').argv.join(' ')).toBe(
      'netcanvas-fx stop --dev veth-ns1 --dir in',
    );
    expect(tbfSet('ns0', 'veth0', 1000, 'x').argv.join(' ')).toBe(
      'ip netns exec ns0 tc qdisc replace dev veth0 root handle 4e43: tbf rate 1000kbit burst 1600 latency 100ms',
    );
    expect(qdiscDel('ns0', 'veth0').argv.join(' ')).toBe(
      'ip netns exec ns0 tc qdisc del dev veth0 root handle 4e43:',
    );
    expect(qdiscDel('ns0', 'veth0').effect).toEqual({ destroys: true, touches: ['ns0'] });
    expect(tbfBurstBytes(1_000_000)).toBe(1_250_000);
  });
});

describe('link effects: planning', () => {
  it('starts, keeps, changes and stops the helper', () => {
    expect(commands(pair({ delayMs: 100 })).argv).toEqual([
      'ip netns exec ns0 netcanvas-fx start --dev veth0 --dir out --delay 100',
    ]);
    expect(commands(pair({ delayMs: 100 }), iface({ out: helper({ delayMs: 100 }) })).argv).toEqual([]);
    expect(commands(pair({ delayMs: 50 }), iface({ out: helper({ delayMs: 100 }) })).argv).toEqual([
      'ip netns exec ns0 netcanvas-fx start --dev veth0 --dir out --delay 50',
    ]);
    expect(commands(pair(undefined), iface({ out: helper({ delayMs: 100 }) })).argv).toEqual([
      'ip netns exec ns0 netcanvas-fx stop --dev veth0 --dir out',
    ]);
    expect(commands(pair(undefined), iface(null)).argv).toEqual([]);
  });

  it("does a bridge port's effects at its peer, on what comes in", () => {
    const bridged = doc({
      schemaVersion: 1,
      namespaces: [{ name: 'ns1' }],
      bridges: [{ name: 'br0' }],
      links: [
        {
          a: { node: 'br0', ifname: 'veth-ns1', effects: { lossPercent: 5, rateKbit: 800 } },
          b: { node: 'ns1', ifname: 'eth0' },
        },
      ],
    });
    expect(commands(bridged).argv).toEqual([
      'ip netns exec ns1 netcanvas-fx start --dev eth0 --dir in --loss 5',
      'tc qdisc replace dev veth-ns1 root handle 4e43: tbf rate 800kbit burst 1600 latency 100ms',
    ]);
  });

  it('changes only its own qdisc; a tbf made by hand is a conflict unless adopted at its rate', () => {
    const ours = { kind: 'tbf', handle: '4e43:', managed: true, rateKbit: 1000 };
    const theirs = { kind: 'tbf', handle: '8001:', managed: false, rateKbit: 2000 };
    expect(commands(pair({ rateKbit: 1000 }), iface({ qdisc: ours })).argv).toEqual([]);
    expect(commands(pair(undefined), iface({ qdisc: ours })).argv).toEqual([
      'ip netns exec ns0 tc qdisc del dev veth0 root handle 4e43:',
    ]);
    expect(commands(pair(undefined), iface({ qdisc: theirs })).argv).toEqual([]);
    const over = commands(pair({ rateKbit: 3000 }), iface({ qdisc: theirs }));
    expect(over.argv).toEqual([]);
    expect(over.conflicts).toEqual([
      {
        path: 'links[0].a.effects.rateKbit',
        message:
          'veth0 in namespace "ns0" has a tbf qdisc netcanvas did not make; adopt it (its rate) or remove it',
      },
    ]);
    expect(commands(pair({ rateKbit: 2000 }), iface({ qdisc: theirs })).argv).toEqual([
      'ip netns exec ns0 tc qdisc replace dev veth0 root handle 4e43: tbf rate 2000kbit burst 2500 latency 100ms',
    ]);
  });

  it('never touches an interface the lab did not make, nor a namespace it cannot use', () => {
    expect(commands(pair({ delayMs: 100, rateKbit: 100 }), iface(null, false)).argv).toEqual([]);
    const unusable = planEffects(
      pair({ delayMs: 100 }),
      () => undefined,
      () => false,
    );
    expect(unusable.steps).toEqual([]);
  });
});

describe('link effects: reading the kernel', () => {
  it('reads root qdiscs from tc -j', () => {
    const json = [
      {
        kind: 'tbf',
        handle: '4e43:',
        dev: 'veth0',
        root: true,
        options: { rate: 125000, burst: 1600, lat: 100000 },
      },
      { kind: 'tbf', handle: '8004:', dev: 'veth1', root: true, options: { rate: 250000 } },
      { kind: 'htb', handle: '1:', dev: 'veth2', root: true, options: {} },
      { kind: 'pfifo', handle: '10:', dev: 'veth2', parent: '1:1', root: false },
    ];
    expect(Object.fromEntries(parseQdiscs(json))).toEqual({
      veth0: { kind: 'tbf', handle: '4e43:', managed: true, rateKbit: 1000 },
      veth1: { kind: 'tbf', handle: '8004:', managed: false, rateKbit: 2000 },
      veth2: { kind: 'htb', handle: '1:', managed: false },
    });
  });

  it("reads the helper's state files, and nothing else", () => {
    const text =
      '{"pid":42,"queue":1234,"dev":"veth0","dir":"out","delayMs":100,"jitterMs":0,"reorderPercent":0,"lossPercent":2.5,"corruptPercent":0,"duplicatePercent":0}\n';
    expect(parseHelperState(text)).toEqual({
      pid: 42,
      dev: 'veth0',
      dir: 'out',
      effects: helper({ delayMs: 100, lossPercent: 2.5 }),
    });
    expect(parseHelperState('{"pid":4')).toBeNull();
    expect(parseHelperState('{"pid":4,"dir":"sideways"}')).toBeNull();
    expect(helperFileInode('4026532-out-veth0.json')).toBe('4026532');
    expect(helperFileInode('4026532-out-veth0.json.tmp')).toBeNull();
  });
});

describe('link effects: helpers no end wants', () => {
  it('stops a helper whose link the document no longer has, never in a namespace going away', () => {
    const stray = {
      name: 'ns0',
      managed: true,
      fdb: [],
      interfaces: [{ ...iface({ out: helper({ delayMs: 5 }) }), ifname: 'old0' }],
    };
    const planned = planEffects(
      pair(undefined),
      () => undefined,
      () => true,
      [stray],
    );
    expect(planned.steps.map((s) => s.argv.join(' '))).toEqual([
      'ip netns exec ns0 netcanvas-fx stop --dev old0 --dir out',
    ]);
    expect(
      planEffects(
        pair(undefined),
        () => undefined,
        (c) => c !== 'ns0',
        [stray],
      ).steps,
    ).toEqual([]);
    // Wanted by an end: left to that end's planning.
    const kept = { ...stray, interfaces: [{ ...iface({ out: helper({ delayMs: 5 }) }), ifname: 'veth0' }] };
    const wanted = planEffects(
      pair({ delayMs: 5 }),
      (c, i) => (i === 'veth0' ? kept.interfaces[0] : undefined),
      () => true,
      [kept],
    );
    expect(wanted.steps).toEqual([]);
  });
});

describe('link effects: when the plan places ends at all', () => {
  const ns0 = (interfaces: ObservedInterface[]) => [{ name: 'ns0', managed: true, fdb: [], interfaces }];

  it('not for a lab without effects, wanted or in force', () => {
    expect(effectsInPlay(pair(undefined), ns0([iface(null), iface({})]))).toBe(false);
  });

  it('for an end that wants some, even with nothing in force', () => {
    expect(effectsInPlay(pair(undefined, { effects: { delayMs: 5 } }), ns0([]))).toBe(true);
  });

  it('for a helper or a qdisc in force that no end wants (to stop it)', () => {
    expect(effectsInPlay(pair(undefined), ns0([iface({ in: helper({ lossPercent: 1 }) })]))).toBe(true);
    const qdisc = { kind: 'tbf', managed: true, rateKbit: 100 } as ObservedLinkEffects['qdisc'];
    expect(effectsInPlay(pair(undefined), ns0([iface({ qdisc })]))).toBe(true);
  });
});
