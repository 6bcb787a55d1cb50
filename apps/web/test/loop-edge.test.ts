import type { ObservedInterface } from '@netcanvas/model';
import { Position } from '@xyflow/react';
import { describe, expect, it } from 'vitest';
import { CARD_WIDTH, rowCentre } from '../src/adapters/geometry';
import type { VethEdge } from '../src/adapters/types';
import { loopPath } from '../src/canvas/loop-path';
import { observedVeth } from '../../../packages/model/test/fixtures';
import { graphOf, observedOf as observed, validDoc as doc } from './lab-state';

// A veth whose two ends share a namespace (the tutorial's `ip link add vethfoo type veth peer name
// vethbar`, and veth0/veth1 before they are moved): drawn as a loop on its card.

const veth = (
  ifindex: number,
  ifname: string,
  ns: string,
  peer: [number, string],
  extra = {},
): ObservedInterface =>
  observedVeth(ifname, {
    ifindex,
    peer: { namespace: ns, ifindex: peer[0], ifname: peer[1] },
    linkNetnsid: null,
    ...extra,
  });

describe('a same-namespace veth pair on the canvas', () => {
  const loopDoc = doc({
    schemaVersion: 1,
    namespaces: [{ name: 'ns0' }],
    links: [{ a: { node: 'ns0', ifname: 'vethfoo' }, b: { node: 'ns0', ifname: 'vethbar' } }],
  });
  const kernel = observed({
    root: [],
    ns0: [veth(2, 'vethbar', 'ns0', [3, 'vethfoo']), veth(3, 'vethfoo', 'ns0', [2, 'vethbar'])],
  });

  it('is one edge from the card to itself, out of one end’s row and into the other’s, on one side', () => {
    const g = graphOf(loopDoc, kernel);
    expect(g.edges).toHaveLength(1);
    expect(g.edges[0]).toMatchObject({
      source: 'ns0',
      target: 'ns0',
      sourceHandle: 'vethfoo:R',
      targetHandle: 'vethbar:R',
      data: { state: 'up' },
      ariaLabel: 'veth ns0:vethfoo to ns0:vethbar, up',
    });
    const card = g.nodes[0]!;
    expect(card.type === 'card' && card.data.rows.map((r) => [r.ifname, r.peer])).toEqual([
      ['lo', null],
      ['vethfoo', 'ns0:vethbar'],
      ['vethbar', 'ns0:vethfoo'],
    ]);
  });

  it('shows drift on it like on any link', () => {
    const down = observed({
      root: [],
      ns0: [
        veth(2, 'vethbar', 'ns0', [3, 'vethfoo'], { up: false, flags: [] }),
        veth(3, 'vethfoo', 'ns0', [2, 'vethbar']),
      ],
    });
    const [edge] = graphOf(loopDoc, down).edges;
    expect(edge?.data?.state).toBe('drift');
    expect(edge?.data?.reasons.join(' ')).toMatch(/vethbar/);
  });

  it('draws a pair made by hand in the lab’s root as an unmanaged loop on the root card', () => {
    const g = graphOf(
      doc({ schemaVersion: 1 }),
      observed({
        root: [
          veth(4, 'vethbar', 'root', [5, 'vethbaz'], { managed: false }),
          veth(5, 'vethbaz', 'root', [4, 'vethbar'], { managed: false }),
        ],
      }),
    );
    expect(g.edges).toHaveLength(1);
    expect(g.edges[0]).toMatchObject({ source: 'root', target: 'root', data: { state: 'unmanaged' } });
    expect(g.edges[0]?.sourceHandle?.endsWith(':R') && g.edges[0]?.targetHandle?.endsWith(':R')).toBe(true);
  });

  it('keeps its name and its ends whichever end a read resolved first, so a selected one stays selected', () => {
    // Just made: one read knows veth1's peer and not yet veth0's; the next knows both.
    const vethIn = (ifindex: number, ifname: string, peer: [number, string] | null) =>
      veth(ifindex, ifname, 'root', peer ?? [0, ''], { managed: false, ...(peer ? {} : { peer: null }) });
    const halfRead = observed({ root: [vethIn(6, 'veth1', [7, 'veth0']), vethIn(7, 'veth0', null)] });
    const bothRead = observed({ root: [vethIn(6, 'veth1', [7, 'veth0']), vethIn(7, 'veth0', [6, 'veth1'])] });
    const firstOnly = observed({ root: [vethIn(6, 'veth1', null), vethIn(7, 'veth0', [6, 'veth1'])] });
    const drawn = [halfRead, bothRead, firstOnly].map((k) => graphOf(doc({ schemaVersion: 1 }), k).edges);
    for (const edges of drawn) expect(edges).toHaveLength(1);
    const [a, b, c] = drawn.map((edges) => edges[0]) as [VethEdge, VethEdge, VethEdge];
    expect(a.id).toBe('foreign:root:veth0');
    expect([b.id, c.id]).toEqual([a.id, a.id]);
    expect([b.ariaLabel, c.ariaLabel]).toEqual([a.ariaLabel, a.ariaLabel]);
    expect(a.ariaLabel).toBe('veth root:veth0 to root:veth1, unmanaged');
  });

  it('loops below a bridge whose two ports are one pair (made by hand)', () => {
    const g = graphOf(
      doc({ schemaVersion: 1, bridges: [{ name: 'br0' }] }),
      observed({
        root: [
          veth(1, 'br0', 'root', [0, ''], { kind: 'bridge', peer: null }),
          veth(2, 'pa', 'root', [3, 'pb'], { master: 'br0', managed: false }),
          veth(3, 'pb', 'root', [2, 'pa'], { master: 'br0', managed: false }),
        ],
      }),
    );
    expect(g.edges[0]).toMatchObject({
      source: 'br0',
      target: 'br0',
      sourceHandle: 'pa:B',
      targetHandle: 'pb:B',
    });
  });
});

describe('loopPath', () => {
  const label = { width: 140, height: 24 };
  const sy = rowCentre(1);
  const ty = rowCentre(2);

  it('leaves and re-enters at the two handles', () => {
    const { path } = loopPath(CARD_WIDTH, sy, CARD_WIDTH, ty, Position.Right, label);
    expect(path.startsWith(`M ${CARD_WIDTH},${sy} C`)).toBe(true);
    expect(path.endsWith(` ${CARD_WIDTH},${ty}`)).toBe(true);
  });

  it('puts the label outside the card, whichever side the loop is on', () => {
    const right = loopPath(CARD_WIDTH, sy, CARD_WIDTH, ty, Position.Right, label);
    expect(right.labelX - label.width / 2).toBeGreaterThan(CARD_WIDTH);
    expect(right.labelY).toBeGreaterThan(sy);
    expect(right.labelY).toBeLessThan(ty);
    const left = loopPath(0, sy, 0, ty, Position.Left, label);
    expect(left.labelX + label.width / 2).toBeLessThan(0);
    const below = loopPath(50, 76, 150, 76, Position.Bottom, label);
    expect(below.labelY - label.height / 2).toBeGreaterThan(76);
  });

  it('reaches farther for ends farther apart, so rows far apart still make a round loop', () => {
    const near = loopPath(CARD_WIDTH, rowCentre(1), CARD_WIDTH, rowCentre(2), Position.Right, label);
    const far = loopPath(CARD_WIDTH, rowCentre(1), CARD_WIDTH, rowCentre(8), Position.Right, label);
    expect(far.labelX).toBeGreaterThan(near.labelX);
  });
});
