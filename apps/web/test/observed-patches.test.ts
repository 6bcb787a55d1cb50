import { afterEach, describe, expect, it } from 'vitest';
import {
  emptyTopology,
  PROTOCOL_VERSION,
  ruleCounterKey,
  type ObservedInterface,
  type ObservedState,
  type ServerMessage,
} from '@netcanvas/model';
import { applyServerMessage } from '../src/protocol/apply-message';
import { countersActions, useCounters } from '../src/store/counters';
import { useSession } from '../src/store/session';
import { observedVeth } from '../../../packages/model/test/fixtures';

// The page's side of the wire algebra: an `observed` message changes the state it holds through
// the model's applyObservedPatch (finer patches: an address list, a firewall), keeps what patches
// do not carry (interface stats), forgets counters of rules that are gone, and tells its caller to
// ask again when a patch does not fit.

const stats = {
  rxBytes: 9,
  rxPackets: 1,
  rxErrors: 0,
  rxDropped: 0,
  txBytes: 7,
  txPackets: 1,
  txErrors: 0,
  txDropped: 0,
};
const eth0: ObservedInterface = observedVeth('eth0', { addresses: ['10.0.0.1/24'], stats });
const observed: ObservedState = {
  target: { kind: 'sandbox', lab: 'patches', pid: 1 },
  takenAt: '2026-12-01T00:00:00.000Z',
  namespaces: [
    {
      name: 'r1',
      managed: true,
      interfaces: [eth0],
      fdb: [],
      firewall: {
        chains: [],
        rules: [
          { table: 'filter', chain: 'FORWARD', args: ['-j', 'DROP'], managed: true, packets: 4, bytes: 336 },
        ],
      },
    },
  ],
};
const welcome: ServerMessage = {
  type: 'welcome',
  protocolVersion: PROTOCOL_VERSION,
  role: 'viewer',
  clientId: 'c1',
  lab: { name: 'patches', kind: 'sandbox' },
  version: 0,
  document: emptyTopology(),
  observed,
  log: [],
};
const patches = (p: Extract<ServerMessage, { type: 'observed' }>['patches']): ServerMessage => ({
  type: 'observed',
  takenAt: '2026-12-01T00:00:01.000Z',
  patches: p,
});

afterEach(() => countersActions.clear());

describe('observed patches in the page', () => {
  it('change the address list it names, keep the stats, and drop the counter of a rule that is gone', () => {
    expect(applyServerMessage(welcome)).toBe(true);
    const key = ruleCounterKey('r1', 'filter', 'FORWARD', 0);
    expect(useCounters.getState().counters.get(key)?.packets).toBe(4);

    expect(
      applyServerMessage(
        patches([
          { op: 'link', ns: 'r1', ifname: 'eth0', set: { addresses: ['10.0.0.1/24', '10.0.0.9/24'] } },
          { op: 'firewall', ns: 'r1', firewall: { chains: [], rules: [] } },
        ]),
      ),
    ).toBe(true);
    const held = useSession.getState().observed;
    expect(held?.takenAt).toBe('2026-12-01T00:00:01.000Z');
    expect(held?.namespaces[0]?.interfaces[0]).toEqual({
      ...eth0,
      addresses: ['10.0.0.1/24', '10.0.0.9/24'],
    });
    expect(held?.namespaces[0]?.firewall).toEqual({ chains: [], rules: [] });
    expect(useCounters.getState().counters.has(key)).toBe(false);
  });

  it('that do not fit the state held are refused whole: the caller asks for the state again', () => {
    applyServerMessage(welcome);
    const before = useSession.getState().observed;
    expect(
      applyServerMessage(
        patches([
          { op: 'link', ns: 'r1', ifname: 'eth0', set: { up: false } },
          { op: 'removeInterface', ns: 'gone', ifname: 'eth0' },
        ]),
      ),
    ).toBe(false);
    expect(useSession.getState().observed).toBe(before);
  });
});
