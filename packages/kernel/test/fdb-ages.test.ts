import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffObserved, type ObservedFdbEntry, type ObservedState } from '@netcanvas/model';
import { changedFdbAges } from '../src/live/samples';

const entry = (ageSeconds: number | null, extra: Partial<ObservedFdbEntry> = {}): ObservedFdbEntry => ({
  bridge: 'br0',
  mac: '02:00:00:00:00:09',
  port: 'p1',
  vlan: null,
  learned: ageSeconds !== null,
  ageSeconds,
  origin: ageSeconds !== null ? 'learned' : 'local',
  ...extra,
});
const at = (ms: number, fdb: ObservedFdbEntry[]): ObservedState => ({
  target: { kind: 'sandbox', lab: 't', pid: 1 },
  takenAt: new Date(ms).toISOString(),
  namespaces: [{ name: 'root', managed: true, interfaces: [], fdb }],
});
const T0 = Date.parse('2026-12-01T10:00:00.000Z');
/** What the kernel says at `now` of an entry last refreshed at `refreshed`: whole seconds, rounded down. */
const kernelAge = (now: number, refreshed: number) => Math.floor((now - refreshed) / 1000);

describe('changedFdbAges', () => {
  it('sends a learned MAC’s age the first time, then only when traffic refreshed it', () => {
    const sent = new Map<string, number>();
    expect(changedFdbAges(at(T0, [entry(4)]), sent)).toEqual([
      ['root', 'br0', 'p1', '02:00:00:00:00:09', null, 4],
    ]);
    // A second later it is a second older: nothing to say, the client counts.
    expect(changedFdbAges(at(T0 + 1000, [entry(5)]), sent)).toEqual([]);
    expect(changedFdbAges(at(T0 + 9000, [entry(13)]), sent)).toEqual([]);
    // A frame from it: age 0 again.
    expect(changedFdbAges(at(T0 + 10_000, [entry(0)]), sent)).toEqual([
      ['root', 'br0', 'p1', '02:00:00:00:00:09', null, 0],
    ]);
  });

  it('does not take a table kept from an earlier read as refreshed (its ages are as of that read)', () => {
    const sent = new Map<string, number>();
    const table = [entry(0)];
    const first = at(T0, table);
    expect(changedFdbAges(first, sent)).toHaveLength(1);
    // The next reads keep that table (not due, under load): 2.5 s later it still says 0, and that
    // is not a frame; read again, the kernel says 3, which is time passing, not traffic.
    const kept = at(T0 + 2500, table);
    expect(changedFdbAges(kept, sent, first)).toEqual([]);
    expect(changedFdbAges(at(T0 + 3200, [entry(3)]), sent, kept)).toEqual([]);
  });

  it('never sends local or static entries (they do not age)', () => {
    const sent = new Map<string, number>();
    const local = entry(null);
    const fixed = entry(null, { mac: '02:00:00:00:00:01', origin: 'static' });
    expect(changedFdbAges(at(T0, [local, fixed]), sent)).toEqual([]);
  });

  it('forgets entries that went, so one learned again is sent again', () => {
    const sent = new Map<string, number>();
    changedFdbAges(at(T0, [entry(3)]), sent);
    expect(changedFdbAges(at(T0 + 1000, []), sent)).toEqual([]);
    expect(sent.size).toBe(0);
    expect(changedFdbAges(at(T0 + 2000, [entry(5)]), sent)).toHaveLength(1);
  });

  it('tells entries apart by namespace, bridge, port, MAC and VLAN', () => {
    const sent = new Map<string, number>();
    const ages = changedFdbAges(
      at(T0, [entry(1), entry(1, { vlan: 10 }), entry(1, { port: 'p2' }), entry(1, { bridge: 'br1' })]),
      sent,
    );
    expect(ages).toHaveLength(4);
  });

  it('stays quiet about an entry nobody refreshes, whenever the reads happen (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999 }),
        fc.array(fc.integer({ min: 200, max: 3000 }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 0, max: 40 }),
        (offset, gaps, readDelay) => {
          const refreshed = T0 - offset;
          const sent = new Map<string, number>();
          let now = T0;
          changedFdbAges(at(now, [entry(kernelAge(now, refreshed))]), sent);
          for (const gap of gaps) {
            now += gap;
            // takenAt is stamped after the read: the table itself was read a little earlier.
            const age = kernelAge(now - readDelay, refreshed);
            if (changedFdbAges(at(now, [entry(age)]), sent).length > 0) return false;
          }
          return true;
        },
      ),
    );
  });

  it('sends an entry refreshed more than two seconds after the last sent refresh (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999 }),
        fc.integer({ min: 2600, max: 60_000 }),
        (offset, later) => {
          const sent = new Map<string, number>();
          changedFdbAges(at(T0, [entry(kernelAge(T0, T0 - offset))]), sent);
          const now = T0 + later + 500;
          const again = changedFdbAges(at(now, [entry(kernelAge(now, T0 + later))]), sent);
          return again.length === 1;
        },
      ),
    );
  });
});

describe('patches and fdb ages', () => {
  it('carry a learned MAC’s origin, but never its age (ages travel in fdbAges)', () => {
    const [patch] = diffObserved(null, at(T0, [entry(4)]));
    expect(patch).toMatchObject({
      op: 'namespace',
      namespace: { fdb: [{ mac: '02:00:00:00:00:09', origin: 'learned', ageSeconds: null }] },
    });
  });

  it('a MAC learned later is put into the table without its age; one that aged on is no patch', () => {
    const [patch] = diffObserved(at(T0, []), at(T0, [entry(4)]));
    expect(patch).toMatchObject({
      op: 'fdb',
      put: [{ mac: '02:00:00:00:00:09', origin: 'learned', ageSeconds: null }],
      drop: [],
    });
    expect(diffObserved(at(T0, [entry(4)]), at(T0 + 9000, [entry(13)]))).toEqual([]);
  });
});
