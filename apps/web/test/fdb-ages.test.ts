import type { ObservedState } from '@netcanvas/model';
import { describe, expect, it } from 'vitest';
import { ageSeconds, fdbAgesActions, fdbKey, useFdbAges } from '../src/store/fdb-ages';

const state = (ages: (number | null)[]): ObservedState => ({
  target: { kind: 'sandbox', lab: 't', pid: 1 },
  takenAt: new Date(0).toISOString(),
  namespaces: [
    {
      name: 'root',
      managed: true,
      interfaces: [],
      fdb: ages.map((age, i) => ({
        bridge: 'br0',
        mac: `02:00:00:00:00:0${i}`,
        port: 'p1',
        vlan: null,
        learned: age !== null,
        ageSeconds: age,
      })),
    },
  ],
});
const key = (i: number) => fdbKey('root', 'br0', 'p1', `02:00:00:00:00:0${i}`, null);
const shown = (i: number, now: number) => {
  const at = useFdbAges.getState().refreshedAt.get(key(i));
  return at === undefined ? undefined : ageSeconds(at, now);
};

describe('the learned MACs’ ages on the page', () => {
  it('takes the welcome’s ages, counts them up with the clock, and keeps none for local entries', () => {
    fdbAgesActions.seed(state([4, null]), 10_000);
    expect(shown(0, 10_000)).toBe(4);
    expect(shown(0, 13_500)).toBe(7);
    expect(shown(1, 10_000)).toBeUndefined();
  });

  it('moves an age when the agent says traffic refreshed it, and drops what the bridge forgot', () => {
    fdbAgesActions.seed(state([4, 9]), 10_000);
    fdbAgesActions.apply([['root', 'br0', 'p1', '02:00:00:00:00:00', null, 0]], 20_000);
    expect(shown(0, 21_000)).toBe(1);
    expect(shown(1, 21_000)).toBe(20);
    fdbAgesActions.prune(state([0]));
    expect(shown(1, 21_000)).toBeUndefined();
    expect(shown(0, 21_000)).toBe(1);
  });

  it('never shows an age below zero (the page’s clock may lag the message)', () => {
    expect(ageSeconds(5000, 4000)).toBe(0);
  });
});
