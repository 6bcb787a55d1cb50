import { describe, expect, it } from 'vitest';
import type { Graph } from '../src/adapters/types';
import { selectionGone } from '../src/canvas/use-selection-follows';

const graph = {
  nodes: [{ id: 'ns1' }, { id: 'br0' }],
  edges: [{ id: 'veth:ns1:eth0' }],
} as unknown as Graph;

describe('a selection follows the picture', () => {
  it('is gone when its node or link is', () => {
    expect(selectionGone({ kind: 'node', id: 'ns3' }, graph)).toBe(true);
    expect(selectionGone({ kind: 'interface', nodeId: 'ns3', ifname: 'eth0' }, graph)).toBe(true);
    expect(selectionGone({ kind: 'edge', id: 'veth:ns3:eth0' }, graph)).toBe(true);
  });

  it('stays while its node is there, even for an interface the kernel does not have yet', () => {
    expect(selectionGone({ kind: 'node', id: 'ns1' }, graph)).toBe(false);
    expect(selectionGone({ kind: 'interface', nodeId: 'ns1', ifname: 'eth9' }, graph)).toBe(false);
    expect(selectionGone({ kind: 'edge', id: 'veth:ns1:eth0' }, graph)).toBe(false);
    expect(selectionGone(null, graph)).toBe(false);
  });

  it("keeps the lab's root, which has no card while nothing lives in it", () => {
    expect(selectionGone({ kind: 'node', id: 'root' }, graph)).toBe(false);
    expect(selectionGone({ kind: 'interface', nodeId: 'root', ifname: 'br0' }, graph)).toBe(false);
  });
});
