import { describe, expect, it } from 'vitest';
import {
  diffObserved,
  type ObservedInterface,
  type ObservedNamespace,
  type ObservedState,
} from '@netcanvas/model';
import { observedVeth } from '../../model/test/fixtures';
import { changedRates, sampleContexts, sampleCounters } from '../src/live/samples';

const stats = (rx: number, tx: number) => ({
  rxBytes: rx,
  txBytes: tx,
  rxPackets: rx / 100,
  txPackets: tx / 100,
  rxErrors: 0,
  txErrors: 0,
  rxDropped: 0,
  txDropped: 0,
});
const iface = (ifname: string, extra: Partial<ObservedInterface> = {}): ObservedInterface =>
  observedVeth(ifname, { stats: stats(0, 0), ...extra });
const ns = (
  name: string,
  interfaces: ObservedInterface[],
  fdb: ObservedNamespace['fdb'] = [],
): ObservedNamespace => ({
  name,
  managed: true,
  interfaces,
  fdb,
});
const state = (namespaces: ObservedNamespace[], takenAt = '2026-11-29T00:00:00.000Z'): ObservedState => ({
  target: { kind: 'sandbox', lab: 't', pid: 1 },
  takenAt,
  namespaces,
});

describe('diffObserved (the model’s), as the agent uses it', () => {
  it('sends nothing when only counters and fdb ages moved', () => {
    const fdbEntry = {
      bridge: 'br0',
      mac: '02:00:00:00:00:09',
      port: 'p1',
      vlan: null,
      learned: true,
      ageSeconds: 1,
    };
    const before = state([ns('root', [iface('p1', { stats: stats(100, 100) })], [fdbEntry])]);
    const after = state([
      ns('root', [iface('p1', { stats: stats(900, 500) })], [{ ...fdbEntry, ageSeconds: 7 }]),
    ]);
    expect(diffObserved(before, after)).toEqual([]);
  });

  it('sends a changed interface’s fields, without counters, and a removed namespace by name', () => {
    const before = state([ns('root', []), ns('a', [iface('x')]), ns('gone', [])]);
    const after = state([ns('root', []), ns('a', [iface('x', { up: false, stats: stats(5, 5) })])]);
    expect(diffObserved(before, after)).toEqual([
      { op: 'link', ns: 'a', ifname: 'x', set: { up: false } },
      { op: 'removeNamespace', name: 'gone' },
    ]);
  });

  it('sends everything the first time', () => {
    expect(diffObserved(null, state([ns('root', [])]))).toHaveLength(1);
  });
});

describe('rates', () => {
  it('gives a namespace end of a root veth its peer counters, crossed', () => {
    const s = state([
      ns('root', [iface('p1', { stats: stats(1000, 3000) })]),
      ns('a', [iface('eth0', { stats: null, peer: { namespace: 'root', ifindex: 5, ifname: 'p1' } })]),
    ]);
    const sample = sampleCounters(s, 0);
    expect(sample.counters.get('a\0eth0')).toEqual([3000, 1000, 30, 10]);
    expect(sample.counters.get('root\0p1')).toEqual([1000, 3000, 10, 30]);
  });

  it('sends only rates that changed, and a zero when traffic stops', () => {
    const at = (t: number, rx: number) =>
      sampleCounters(state([ns('root', [iface('p1', { stats: stats(rx, 0) })])]), t);
    const sent = new Map<string, readonly number[]>();
    expect(changedRates(at(0, 0), at(1000, 0), sent)).toEqual([]);
    expect(changedRates(at(1000, 0), at(2000, 5000), sent)).toEqual([['root', 'p1', 5000, 0, 50, 0]]);
    expect(changedRates(at(2000, 5000), at(3000, 10000), sent)).toEqual([]);
    expect(changedRates(at(3000, 10000), at(4000, 10000), sent)).toEqual([['root', 'p1', 0, 0, 0, 0]]);
  });

  it('sends a last rate of zero for an interface gone while it moved bytes (its namespace deleted by hand)', () => {
    const sent = new Map<string, readonly number[]>();
    const two = (t: number, rx: number) =>
      sampleCounters(
        state([ns('root', [iface('p1', { stats: stats(rx, 0) }), iface('p2', { stats: stats(0, 0) })])]),
        t,
      );
    const gone = (t: number) => sampleCounters(state([ns('root', [])]), t);
    expect(changedRates(two(0, 0), two(1000, 5000), sent)).toEqual([['root', 'p1', 5000, 0, 50, 0]]);
    // p2 never moved: nothing to take back.
    expect(changedRates(two(1000, 5000), gone(2000), sent)).toEqual([['root', 'p1', 0, 0, 0, 0]]);
    expect(changedRates(gone(2000), gone(3000), sent)).toEqual([]);
  });

  it('does not send a steady rate again for the jitter of the sample’s timing, and sends a move', () => {
    const at = (t: number, rx: number) =>
      sampleCounters(state([ns('root', [iface('p1', { stats: stats(rx, 0) })])]), t);
    const sent = new Map<string, readonly number[]>();
    expect(changedRates(at(0, 0), at(1000, 5000), sent)).toEqual([['root', 'p1', 5000, 0, 50, 0]]);
    // 1,020 ms instead of 1,000: 4,902 bytes/s, 49 packets/s: within 5 % of what was sent.
    expect(changedRates(at(1000, 5000), at(2020, 10000), sent)).toEqual([]);
    // A real change: 6,000 bytes/s, 60 packets/s.
    expect(changedRates(at(2020, 10000), at(3020, 16000), sent)).toEqual([['root', 'p1', 6000, 0, 60, 0]]);
  });
});

describe('sampleContexts', () => {
  it('reads the root, namespaces without an nsid, and namespaces with unmirrored interfaces', () => {
    const s = state([
      ns('root', []),
      ns('mirrored', [
        iface('lo', { kind: 'loopback' }),
        iface('eth0', { peer: { namespace: 'root', ifindex: 3, ifname: 'p1' } }),
      ]),
      ns('pair', [iface('v0', { peer: { namespace: 'other', ifindex: 2, ifname: 'v1' } })]),
      ns('byhand', []),
    ]);
    const contexts = sampleContexts(s, (name) => name !== 'byhand');
    expect([...contexts].sort()).toEqual(['byhand', 'pair', 'root']);
  });
});
