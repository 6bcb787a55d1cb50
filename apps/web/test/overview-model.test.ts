import {
  validateTopology,
  type ObservedInterface,
  type ObservedState,
  type Topology,
} from '@netcanvas/model';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../src/adapters/graph';
import { CARD_WIDTH, rowCentre } from '../src/adapters/geometry';
import {
  buildOverviewScene,
  fittedLabel,
  frameOf,
  hitTest,
  MIN_PREFIX,
  reuseTransform,
  type OverviewScene,
} from '../src/canvas/overview-model';
import { observedVeth } from '../../../packages/model/test/fixtures';

// The overview's drawing model: which boxes, edges and names a frame draws at which zoom, and what
// a pointer is on. Scenes come from the adapter's real output, so a change in the graph's
// geometry (handles, sizes) shows here.

const doc = (raw: unknown): Topology => {
  const r = validateTopology(raw);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};

/** n namespaces in a row, 400 apart, each joined to the next; ns1's eth0 down, as the document wants it. */
function lab(n: number): { document: Topology; observed: ObservedState } {
  const names = Array.from({ length: n }, (_, i) => `ns${i}`);
  const document = doc({
    schemaVersion: 1,
    namespaces: names.map((name, i) => ({ name, position: { x: i * 400, y: 0 } })),
    links: names.slice(1).map((name, i) => ({
      a: { node: names[i], ifname: 'eth1' },
      b: { node: name, ifname: 'eth0', up: i !== 0 },
    })),
  });
  const iface = (ns: number, ifname: string, extra: Partial<ObservedInterface> = {}) =>
    observedVeth(ifname, { ifindex: ifname === 'eth0' ? 2 : 3, ...extra, peer: null });
  const observed: ObservedState = {
    target: { kind: 'sandbox', lab: 'test', pid: 1 },
    takenAt: new Date(0).toISOString(),
    namespaces: [
      { name: 'root', managed: true, interfaces: [], fdb: [] },
      ...names.map((name, i) => ({
        name,
        managed: true,
        fdb: [],
        interfaces: [
          observedVeth('lo', { ifindex: 1, kind: 'loopback', managed: false, addresses: ['127.0.0.1/8'] }),
          ...(i > 0 ? [iface(i, 'eth0', i === 1 ? { up: false, operstate: 'DOWN' } : {})] : []),
          ...(i < n - 1 ? [iface(i, 'eth1')] : []),
        ],
      })),
    ],
  };
  return { document, observed };
}

const sceneOf = (n: number, edit?: (t: Topology) => Topology): OverviewScene => {
  const { document, observed } = lab(n);
  const g = buildGraph({
    document: edit ? edit(document) : document,
    observed,
    editable: true,
    pending: {},
    local: {},
  });
  return buildOverviewScene(g.nodes, g.edges);
};

describe('the overview scene', () => {
  it('has a box per node where the card is, and edges ending at the rows their veths are on', () => {
    const scene = sceneOf(3);
    expect(scene.boxes.map((b) => [b.id, b.x, b.y, b.w])).toEqual([
      ['ns0', 0, 0, CARD_WIDTH],
      ['ns1', 400, 0, CARD_WIDTH],
      ['ns2', 800, 0, CARD_WIDTH],
    ]);
    const [first] = scene.edges;
    // ns0's eth1 (its row after lo) on its right side, to ns1's eth0 (its row after lo) on its left.
    expect(first).toMatchObject({ x1: CARD_WIDTH, y1: rowCentre(1), x2: 400, y2: rowCentre(1), loop: false });
    expect(first?.end).toMatchObject({ context: 'ns0', ifname: 'eth1' });
  });

  it('colours a box by its interfaces: up, down, or drift over both', () => {
    const scene = sceneOf(3);
    expect(scene.boxes.map((b) => b.status)).toEqual(['up', 'down', 'up']);
    // Down where the document wants it up, or an address the kernel lacks: drift.
    const drifting = sceneOf(3, (t) => ({
      ...t,
      links: t.links.map((l, i) => (i === 1 ? { ...l, b: { ...l.b, addresses: ['10.0.0.2/24'] } } : l)),
    }));
    expect(drifting.byId.get('ns2')?.status).toBe('drift');
  });

  it('draws a loop for a veth with both ends on one card, out of the side its rows are on', () => {
    const document = doc({
      schemaVersion: 1,
      namespaces: [{ name: 'ns0', position: { x: 0, y: 0 } }],
      links: [{ a: { node: 'ns0', ifname: 'vethfoo' }, b: { node: 'ns0', ifname: 'vethbar' } }],
    });
    const g = buildGraph({ document, observed: null, editable: true, pending: {}, local: {} });
    const [loop] = buildOverviewScene(g.nodes, g.edges).edges;
    expect(loop?.loop).toBe(true);
    expect(Math.abs(loop!.outX) + Math.abs(loop!.outY)).toBe(1);
    expect(loop!.outX === 1 ? loop!.x1 : -loop!.x1).toBeGreaterThanOrEqual(loop!.outX === 1 ? CARD_WIDTH : 0);
  });
});

describe('a frame of the overview', () => {
  const scene = sceneOf(10);

  it('draws only what meets the viewport', () => {
    // 1,000 × 500 screen pixels at zoom 0.5: the canvas from x 0 to 2,000 (ns0..ns4, ns5 starts at 2,000).
    const frame = frameOf(scene, { x: 0, y: 0, zoom: 0.5 }, 1000, 500);
    expect(frame.boxes.map((b) => b.id)).toEqual(['ns0', 'ns1', 'ns2', 'ns3', 'ns4']);
    // Edges between drawn boxes, and the one leaving ns4 towards ns5 (it starts on screen).
    expect(frame.edges).toHaveLength(5);
    const panned = frameOf(scene, { x: -1000, y: 0, zoom: 0.5 }, 1000, 500);
    expect(panned.boxes[0]?.id).toBe('ns5');
  });

  it('names a box when its name fits, and says nothing rather than a useless stub', () => {
    const names = (zoom: number) => [...frameOf(scene, { x: 0, y: 0, zoom }, 4000, 1000).labels.values()];
    expect(names(0.4)).toContain('ns3');
    expect(names(0.02)).toEqual([]);
  });

  it('cuts a long name to a telling prefix or drops it (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 64 }),
        fc.integer({ min: 0, max: 600 }),
        (label, width) => {
          const text = fittedLabel(label, width, 40);
          if (text === null || text === label) return true;
          return text.endsWith('…') && text.length - 1 >= MIN_PREFIX && label.startsWith(text.slice(0, -1));
        },
      ),
    );
    expect(fittedLabel('ns0001-a-long-name', 30, 40)).toBeNull();
    expect(fittedLabel('ns0001', 300, 8)).toBeNull();
  });
});

describe('hit testing on the overview', () => {
  const scene = sceneOf(3);

  it('finds the box under a point, the edge within a few screen pixels, else nothing', () => {
    expect(hitTest(scene, 410, 10, 0.2)).toEqual({ kind: 'node', id: 'ns1' });
    const e = scene.edges[0]!;
    const midX = (e.x1 + e.x2) / 2;
    const midY = (e.y1 + e.y2) / 2;
    // 3 screen pixels off the line at zoom 0.2 is 15 canvas units.
    expect(hitTest(scene, midX, midY + 15, 0.2)).toEqual({ kind: 'edge', id: e.id });
    // The same 15 units are 15 screen pixels at zoom 1: too far.
    expect(hitTest(scene, midX, midY + 15, 1)).toBeNull();
    expect(hitTest(scene, 330, 400, 0.2)).toBeNull();
  });

  it('gives the box drawn last (on top) where two overlap', () => {
    const { document, observed } = lab(2);
    const moved = {
      ...document,
      namespaces: document.namespaces.map((n) => ({ ...n, position: { x: 0, y: 0 } })),
    };
    const g = buildGraph({ document: moved, observed, editable: true, pending: {}, local: {} });
    const s = buildOverviewScene(g.nodes, g.edges);
    expect(hitTest(s, 10, 10, 0.2)).toEqual({ kind: 'node', id: s.boxes[s.boxes.length - 1]!.id });
  });
});

describe('moving the painted overview instead of painting it again', () => {
  const pane = { width: 1600, height: 1000, mx: 800, my: 500 };
  const viewport = fc.record({
    x: fc.double({ min: -5000, max: 5000, noNaN: true }),
    y: fc.double({ min: -5000, max: 5000, noNaN: true }),
    zoom: fc.double({ min: 0.05, max: 0.45, noNaN: true }),
  });

  it('puts every painted point where the new viewport shows it, while the canvas covers the pane (property)', () => {
    fc.assert(
      fc.property(viewport, viewport, fc.double({ min: -1e4, max: 1e4, noNaN: true }), (drawn, now, px) => {
        const t = reuseTransform(drawn, now, pane);
        if (!t) return true;
        // Painted at the viewport shifted by the margin, the canvas placed at -mx: a point's pixel.
        const pixel = px * drawn.zoom + drawn.x + pane.mx;
        const shown = -pane.mx + t.x + t.scale * pixel;
        return Math.abs(shown - (px * now.zoom + now.x)) < 1e-6 * Math.max(1, Math.abs(shown));
      }),
    );
  });

  it('moves it for a pan within the margin, paints again beyond it or after zooming out far', () => {
    const at = { x: 0, y: 0, zoom: 0.1 };
    expect(reuseTransform(at, { x: -700, y: 400, zoom: 0.1 }, pane)).toEqual({ scale: 1, x: -700, y: 400 });
    expect(reuseTransform(at, { x: -900, y: 0, zoom: 0.1 }, pane)).toBeNull();
    expect(reuseTransform(at, { x: 0, y: 0, zoom: 0.04 }, pane)).toBeNull();
    expect(reuseTransform(at, { x: 0, y: 0, zoom: 0.2 }, pane)?.scale).toBe(2);
  });
});
