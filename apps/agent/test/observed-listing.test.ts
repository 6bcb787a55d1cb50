import { describe, expect, test } from 'vitest';
import type { ObservedInterface, ObservedState } from '@netcanvas/model';
import { Lab } from '@netcanvas/kernel';
import { renderObserved } from '../src/cli/observed-listing';

/** The tutorial's details, as `ip link`, `ethtool -S`, `bridge link` and `brctl showstp` show them. */
function lab(stpState: number, rootId?: string): ObservedState {
  const state = Lab.emptyState('demo');
  const root = state.namespaces[0];
  const lo = root?.interfaces[0];
  if (!root || !lo) throw new Error('no root');
  const veth = (ifindex: number, ifname: string, extra: Partial<ObservedInterface>): ObservedInterface => ({
    ...lo,
    ifindex,
    ifname,
    kind: 'veth',
    managed: true,
    ...extra,
  });
  const bridgeId = '8000.02:00:00:00:00:aa';
  root.interfaces.push(
    {
      ...lo,
      ifindex: 2,
      ifname: 'br0',
      kind: 'bridge',
      managed: true,
      stp: stpState !== 0,
      bridgeInfo: {
        bridgeId,
        rootId: rootId ?? bridgeId,
        rootPort: rootId ? 1 : 0,
        rootPathCost: rootId ? 4 : 0,
        priority: 32768,
        stpState,
        forwardDelay: 15,
        helloTime: 2,
        maxAge: 20,
        ageingTime: 300,
        vlanFiltering: false,
        topologyChange: false,
      },
    },
    veth(3, 'p1', {
      master: 'br0',
      portInfo: { state: 'blocking', cost: 7, priority: 3, portNo: 1, learning: true, flood: true },
      peer: { namespace: 'ns1', ifname: 'eth0', ifindex: 2 },
      linkNetnsid: 1,
    }),
    veth(4, 'vethfoo', { peer: { namespace: 'root', ifname: 'vethbar', ifindex: 5 }, linkNetnsid: null }),
    veth(6, 'far', { peer: { namespace: null, ifname: null, ifindex: 9 }, linkNetnsid: 4 }),
  );
  root.fdb.push(
    { bridge: 'br0', mac: '02:00:00:00:00:01', port: 'p1', vlan: null, learned: true, ageSeconds: 4 },
    { bridge: 'br0', mac: '02:00:00:00:00:aa', port: 'p1', vlan: null, learned: false, ageSeconds: null },
  );
  return state;
}

describe('observe listing: what the tutorial’s commands show', () => {
  test('a veth end’s peer with its ifindex (ethtool -S) and link-netnsid (ip link)', () => {
    const text = renderObserved(lab(0)).join('\n');
    expect(text).toContain('peer ns1:eth0 (ifindex 2, link-netnsid 1)');
    expect(text).toContain('peer root:vethbar (ifindex 5)');
    expect(text).toContain('peer ifindex 9, link-netnsid 4, in a namespace outside the lab');
  });

  test('a port’s STP state, cost and priority next to its bridge (bridge link)', () => {
    expect(renderObserved(lab(1)).join('\n')).toContain('master br0  state blocking, cost 7, priority 3');
  });

  test('a bridge’s id, STP and, with STP on, its root (brctl showstp)', () => {
    const off = renderObserved(lab(0)).join('\n');
    expect(off).toContain('bridge id 8000.02:00:00:00:00:aa, stp off, ageing 300 s');
    expect(off).not.toContain('root bridge');
    const rootItself = renderObserved(lab(1)).join('\n');
    expect(rootItself).toContain('bridge id 8000.02:00:00:00:00:aa, stp on, ageing 300 s');
    expect(rootItself).toContain('root bridge (this one); forward delay 15 s, hello 2 s, max age 20 s');
    const below = renderObserved(lab(1, '1000.02:00:00:00:00:bb')).join('\n');
    expect(below).toContain('root 1000.02:00:00:00:00:bb via port 1 (p1), path cost 4');
  });

  test('learned MACs with their age; the bridge’s own are not listed as learned', () => {
    const text = renderObserved(lab(0)).join('\n');
    expect(text).toContain('02:00:00:00:00:01 → p1, 4 s ago');
    expect(text).not.toContain('02:00:00:00:00:aa → p1');
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
});
