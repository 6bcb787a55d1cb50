import type { ObservedInterface, ObservedState } from '@netcanvas/model';
import { DOMParser, type Element as XmlElement } from '@xmldom/xmldom';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import bridge from '../../../examples/bridge.json';
import routerNat from '../../../examples/router-nat.json';
import { observedVeth } from '../../../packages/model/test/fixtures';
import { pictureFileName, pngScale } from '../src/lib/export-picture';
import type { PictureFigures } from '../src/lib/export-picture-figures';
import { PICTURE_MARGIN, pictureSvg } from '../src/lib/export-picture-svg';
import { escapeXml } from '../src/lib/export-picture-text';
import { wrap } from '../src/canvas/routing/edge-label';
import { graphOf, observedNs, observedState, validDoc as doc } from './lab-state';

// The exported picture, drawn from the adapter's real graph: parsed back as XML, so a file a
// slide program could not open fails here, and read for what a person would look for in it.

/** The bridge example as the kernel has it, but ns2's eth0 lacks its address (drift). */
function bridgeKernel(): ObservedState {
  const port = (i: number): ObservedInterface =>
    observedVeth(`veth-ns${i}`, {
      ifindex: 10 + i,
      master: 'br0',
      peer: { namespace: `ns${i}`, ifindex: 2, ifname: 'eth0' },
    });
  const host = (i: number) =>
    observedNs(`ns${i}`, [
      observedVeth('lo', { ifindex: 1, kind: 'loopback', managed: false, addresses: ['127.0.0.1/8'] }),
      observedVeth('eth0', {
        addresses: i === 2 ? [] : [`10.0.2.${i}/24`],
        peer: { namespace: 'root', ifindex: 10 + i, ifname: `veth-ns${i}` },
      }),
    ]);
  const learned = (mac: string, port: string) => ({
    bridge: 'br0',
    mac,
    port,
    vlan: null,
    learned: true,
    ageSeconds: 3,
  });
  const root = observedNs(
    'root',
    [observedVeth('br0', { ifindex: 5, kind: 'bridge' }), port(1), port(2), port(3)],
    { fdb: [learned('02:00:00:00:01:01', 'veth-ns1'), learned('02:00:00:00:01:02', 'veth-ns3')] },
  );
  return observedState(root, host(1), host(2), host(3));
}

/** Figures as a test gives them: traffic on br0's port to ns1, 1,204 packets in every firewall. */
const FIGURES: PictureFigures = {
  rate: (context, ifname) =>
    context === 'root' && ifname === 'veth-ns1'
      ? { txBps: 2500, rxBps: 1200, txPps: 4, rxPps: 3 }
      : undefined,
  firewallPackets: () => 1204,
  learnedMacs: (context, bridgeName) => (context === 'root' && bridgeName === 'br0' ? 2 : 0),
};

function parse(svg: string) {
  const errors: string[] = [];
  // Warnings aside (xmldom warns of every U+FFFD, which the picture writes on purpose).
  const onError = (level: string, message: string) =>
    void (level !== 'warning' && errors.push(`${level}: ${message}`));
  const xml = new DOMParser({ onError }).parseFromString(svg, 'image/svg+xml');
  expect(errors).toEqual([]);
  return xml.documentElement!;
}

const all = (root: XmlElement, tag: string): XmlElement[] => Array.from(root.getElementsByTagName(tag));
const isFigure = (e: XmlElement): boolean => {
  for (let n: XmlElement | null = e; n; n = n.parentNode as XmlElement | null)
    if (n.getAttribute?.('class') === 'figure') return true;
  return false;
};
/** Every text the picture shows, sorted; figures apart when asked. */
const texts = (root: XmlElement, figures: 'with' | 'without' | 'only') =>
  all(root, 'text')
    .filter((t) => (figures === 'with' ? true : figures === 'only' ? isFigure(t) : !isFigure(t)))
    .map((t) => t.textContent ?? '')
    .sort();

describe('the exported picture', () => {
  const graph = graphOf(doc(bridge), bridgeKernel());

  it('draws every namespace, bridge, interface, address and veth of the lab', () => {
    const svg = parse(pictureSvg(graph, { figures: null, title: 'netcanvas lab test' }).svg);
    const shown = texts(svg, 'with');
    for (const name of [
      'ns1',
      'ns2',
      'ns3',
      'br0',
      'eth0',
      'lo',
      'veth-ns1',
      'veth-ns2',
      'veth-ns3',
      '10.0.2.1/24',
      '10.0.2.3/24',
    ])
      expect(shown, name).toContain(name);
    for (const i of [1, 2, 3]) expect(shown).toContain(`br0:veth-ns${i} ⇄ ns${i}:eth0`);
    const links = all(svg, 'path').filter((p) => p.getAttribute('class') === 'link');
    expect(links.map((p) => p.getAttribute('data-id')).sort()).toEqual(graph.edges.map((e) => e.id).sort());
    const cards = all(svg, 'g').filter((g) => ['card', 'bridge'].includes(g.getAttribute('class') ?? ''));
    expect(cards.map((g) => g.getAttribute('data-id')).sort()).toEqual(graph.nodes.map((n) => n.id).sort());
  });

  it('without live figures is the picture with them, less exactly the figures', () => {
    const title = 'netcanvas lab test';
    const live = pictureSvg(graph, { figures: FIGURES, title }).svg;
    const clean = pictureSvg(graph, { figures: null, title }).svg;
    const [withFigures, withoutFigures] = [parse(live), parse(clean)];
    expect(all(withoutFigures, '*').filter(isFigure)).toEqual([]);
    expect(texts(withFigures, 'without')).toEqual(texts(withoutFigures, 'with'));
    const figures = texts(withFigures, 'only');
    for (const figure of [
      '→ 2.5 kB/s  ← 1.2 kB/s',
      '2 MACs',
      'drift',
      'up',
      'eth0: address 10.0.2.2/24 missing',
      'address 10.0.2.2',
    ])
      expect(
        figures.some((t) => t.startsWith(figure)),
        `${figure} in ${figures.join(' | ')}`,
      ).toBe(true);
    for (const figure of figures) expect(texts(withoutFigures, 'with')).not.toContain(figure);
  });

  it('counts a firewall’s packets only with live figures', () => {
    const nat = graphOf(doc(routerNat));
    const live = texts(parse(pictureSvg(nat, { figures: FIGURES, title: 't' }).svg), 'only');
    const clean = texts(parse(pictureSvg(nat, { figures: null, title: 't' }).svg), 'with');
    expect(live).toContain('1,204 pkts');
    expect(clean).toContain('fw 1');
    expect(clean).toContain('fwd');
    expect(clean.join(' ')).not.toContain('pkts');
  });

  it('escapes every text it writes, and what XML cannot hold becomes U+FFFD (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (words) => {
        const reasoned = {
          ...graph,
          edges: graph.edges.map((e) => ({
            ...e,
            data: { ...e.data!, state: 'drift' as const, reasons: [words] },
          })),
        };
        const svg = parse(pictureSvg(reasoned, { figures: FIGURES, title: words }).svg);
        // What a reader gets back: the words, U+FFFD for what XML cannot hold.
        const readable = (t: string) =>
          escapeXml(t).replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c)));
        expect(all(svg, 'title')[0]?.textContent).toBe(readable(words));
        expect(svg.getAttribute('aria-label')).toBe(readable(words));
        // On the link, the reason wrapped as the canvas wraps it.
        for (const line of wrap(words)) expect(texts(svg, 'only')).toContain(readable(line));
      }),
      { numRuns: 100 },
    );
  }, 60_000);
});

/** n namespaces at random places, each joined to a random earlier one. */
const randomLab = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc.tuple(
    fc.array(fc.tuple(fc.integer({ min: -3000, max: 3000 }), fc.integer({ min: -3000, max: 3000 })), {
      minLength: n,
      maxLength: n,
    }),
    fc.array(fc.nat(), { minLength: n, maxLength: n }),
  ),
);

describe('the picture of any lab (property)', () => {
  it('holds every node inside its bounds, a line per veth, every name', () => {
    fc.assert(
      fc.property(randomLab, ([places, peers]) => {
        const document = doc({
          schemaVersion: 1,
          namespaces: places.map(([x, y], i) => ({ name: `n${i}`, position: { x, y } })),
          links: peers.slice(1).map((p, i) => ({
            a: { node: `n${i + 1}`, ifname: `to${p % (i + 1)}` },
            b: { node: `n${p % (i + 1)}`, ifname: `from${i + 1}` },
          })),
        });
        const g = graphOf(document);
        const picture = pictureSvg(g, { figures: FIGURES, title: 'lab' });
        const svg = parse(picture.svg);
        const [vx, vy, vw, vh] = (svg.getAttribute('viewBox') ?? '').split(' ').map(Number) as [
          number,
          number,
          number,
          number,
        ];
        expect([vw, vh]).toEqual([picture.width, picture.height]);
        for (const n of g.nodes) {
          expect(n.position.x - vx).toBeGreaterThanOrEqual(PICTURE_MARGIN - 1);
          expect(n.position.y - vy).toBeGreaterThanOrEqual(PICTURE_MARGIN - 1);
          expect(vx + vw - (n.position.x + (n.width ?? 0))).toBeGreaterThanOrEqual(PICTURE_MARGIN - 1);
          expect(vy + vh - (n.position.y + (n.height ?? 0))).toBeGreaterThanOrEqual(PICTURE_MARGIN - 1);
        }
        expect(all(svg, 'path').filter((p) => p.getAttribute('class') === 'link')).toHaveLength(
          g.edges.length,
        );
        const shown = texts(svg, 'with');
        for (const n of g.nodes) expect(shown).toContain(n.id);
      }),
      { numRuns: 30 },
    );
  }, 60_000);
});

describe('the picture file', () => {
  it('is named after the lab and the day', () => {
    expect(pictureFileName('default', 'png', new Date(2026, 11, 1, 21, 5))).toBe(
      'netcanvas-default-2026-12-01.png',
    );
    expect(pictureFileName('a b/c', 'svg', new Date(2026, 0, 9))).toBe('netcanvas-a_b_c-2026-01-09.svg');
  });

  it('is twice the canvas’s size, less for a lab too large for a browser’s canvas', () => {
    expect(pngScale(1000, 600)).toBe(2);
    const big = pngScale(20_000, 12_000);
    expect(20_000 * big).toBeLessThanOrEqual(16_384);
    expect(20_000 * 12_000 * big * big).toBeLessThanOrEqual(40_000_001);
  });
});
