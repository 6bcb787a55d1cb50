import {
  PROTOCOL_VERSION,
  Topology,
  type ObservedInterface,
  type ObservedNamespace,
  type ObservedState,
  type RateTuple,
  type ServerMessage,
  type TopologyInput,
} from '@netcanvas/model';
import { CARD_WIDTH, cardHeight } from '../adapters/geometry';

/**
 * A synthetic lab for the canvas benchmark, as the agent would describe it: N namespaces in a
 * grid, joined in a ring by N veth pairs (namespace i's `eth1` to namespace i+1's `eth0`, a /24
 * each, the last back to the first), so every card has three rows (lo, eth0, eth1) and every
 * link is an edge between neighbours. Everything is up and matches the document (no drift).
 *
 * Only message *texts* are built here (untimed); the page parses and applies them as the real
 * socket does.
 */

const GAP = 64;
/** 25 columns for 500, 50 for 2,000: the grid is about as wide as the screen is (16:10). */
export const columnsFor = (n: number): number => Math.max(1, Math.round(Math.sqrt(n * 1.25)));
export const PITCH_X = CARD_WIDTH + GAP;
export const PITCH_Y = cardHeight(3) + GAP;

export const nsName = (i: number): string => `ns${String(i).padStart(4, '0')}`;
const subnet = (link: number): string => `10.${link >> 8}.${link & 255}`;

/** Snake order (left to right, then right to left on the next row), so ring neighbours sit side by side. */
function place(i: number, cols: number): { x: number; y: number } {
  const row = Math.floor(i / cols);
  const inRow = i % cols;
  const col = row % 2 === 0 ? inRow : cols - 1 - inRow;
  return { x: col * PITCH_X, y: row * PITCH_Y };
}

export function buildDocument(n: number): Topology {
  const cols = columnsFor(n);
  const input: TopologyInput = {
    schemaVersion: 1,
    namespaces: Array.from({ length: n }, (_, i) => ({ name: nsName(i), position: place(i, cols) })),
    links: Array.from({ length: n }, (_, i) => ({
      a: { node: nsName(i), ifname: 'eth1', addresses: [`${subnet(i)}.1/24`] },
      b: { node: nsName((i + 1) % n), ifname: 'eth0', addresses: [`${subnet(i)}.2/24`] },
    })),
  };
  // Defaults filled in, as the agent sends it.
  return Topology.parse(input);
}

/**
 * What the lab is, as the bench planned it (not as the adapter drew it): each namespace's box and
 * each veth's edge id and ends, to tell which of them the screen shows.
 */
export interface LabGeometry {
  boxes: { id: string; x: number; y: number; width: number; height: number }[];
  edges: { id: string; source: number; target: number }[];
}

export function labGeometry(n: number): LabGeometry {
  const cols = columnsFor(n);
  const height = cardHeight(3);
  return {
    boxes: Array.from({ length: n }, (_, i) => ({
      id: nsName(i),
      ...place(i, cols),
      width: CARD_WIDTH,
      height,
    })),
    // The adapter names a veth's edge by its `a` end (adapters/ids.ts): namespace i's eth1.
    edges: Array.from({ length: n }, (_, i) => ({
      id: `veth:${nsName(i)}:eth1`,
      source: i,
      target: (i + 1) % n,
    })),
  };
}

const mac = (i: number, end: number): string => {
  const v = i * 2 + end;
  return `02:00:00:${((v >> 16) & 255).toString(16).padStart(2, '0')}:${((v >> 8) & 255).toString(16).padStart(2, '0')}:${(v & 255).toString(16).padStart(2, '0')}`;
};

/** Counters that grow with `tick`, so every sample differs from the last. */
const stats = (seed: number, tick: number): NonNullable<ObservedInterface['stats']> => ({
  rxBytes: 1_000_000 + seed * 1000 + tick * 12_345,
  rxPackets: 10_000 + seed + tick * 97,
  rxErrors: 0,
  rxDropped: 0,
  txBytes: 2_000_000 + seed * 1000 + tick * 23_456,
  txPackets: 20_000 + seed + tick * 101,
  txErrors: 0,
  txDropped: 0,
});

function observedNamespace(i: number, n: number, tick: number): ObservedNamespace {
  const prev = (i - 1 + n) % n;
  const veth = (
    ifindex: number,
    ifname: string,
    address: string,
    peerNs: number,
    peerIf: string,
  ): ObservedInterface => ({
    ifindex,
    ifname,
    kind: 'veth',
    up: true,
    operstate: 'UP',
    flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'],
    mtu: 1500,
    mac: mac(i, ifindex),
    master: null,
    managed: true,
    group: 'default',
    alias: null,
    addresses: [address, `fe80::${(i * 4 + ifindex).toString(16)}/64`],
    peer: { namespace: nsName(peerNs), ifindex: peerIf === 'eth0' ? 2 : 3, ifname: peerIf },
    stp: null,
    stats: stats(i * 4 + ifindex, tick),
  });
  // What the agent's observe reads too: forwarding, the connected routes, an untouched firewall.
  const route = (net: string, dev: string) => ({
    to: `${net}.0/24`,
    via: null,
    dev,
    protocol: 'kernel',
    metric: null,
    managed: false,
  });
  return {
    name: nsName(i),
    forwarding: false,
    routes: [route(subnet(prev), 'eth0'), route(subnet(i), 'eth1')],
    firewall: { chains: [], rules: [] },
    managed: true,
    interfaces: [
      {
        ifindex: 1,
        ifname: 'lo',
        kind: 'loopback',
        up: true,
        operstate: 'UNKNOWN',
        flags: ['LOOPBACK', 'UP', 'LOWER_UP'],
        mtu: 65536,
        mac: '00:00:00:00:00:00',
        master: null,
        managed: false,
        group: 'default',
        alias: null,
        addresses: ['127.0.0.1/8', '::1/128'],
        peer: null,
        stp: null,
        stats: stats(i * 4, tick),
      },
      veth(2, 'eth0', `${subnet(prev)}.2/24`, prev, 'eth1'),
      veth(3, 'eth1', `${subnet(i)}.1/24`, (i + 1) % n, 'eth0'),
    ],
    fdb: [],
  };
}

const at = (tick: number): string => new Date(Date.UTC(2026, 0, 1, 12, 0, tick)).toISOString();

export function buildObserved(n: number, tick = 0): ObservedState {
  return {
    target: { kind: 'sandbox', lab: `bench-${n}`, pid: 1 },
    takenAt: at(tick),
    namespaces: [
      { name: 'root', managed: true, interfaces: [], fdb: [] },
      ...Array.from({ length: n }, (_, i) => observedNamespace(i, n, tick)),
    ],
  };
}

/** The `welcome` the agent sends to an editor opening a lab of `n` namespaces. */
export function welcomeText(n: number): string {
  const message: ServerMessage = {
    type: 'welcome',
    protocolVersion: PROTOCOL_VERSION,
    role: 'editor',
    clientId: 'bench',
    lab: { name: `bench-${n}`, kind: 'sandbox' },
    version: 1,
    document: buildDocument(n),
    observed: buildObserved(n),
    log: [],
  };
  return JSON.stringify(message);
}

/**
 * A `rates` message in which every veth end of every namespace moved (the agent sends only the
 * rates that changed: this is the whole lab at once). Nonzero packets, so every edge shows traffic.
 */
export function ratesText(n: number, tick: number): string {
  const rates: RateTuple[] = [];
  for (let i = 0; i < n; i++)
    for (const [k, ifname] of ['eth0', 'eth1'].entries()) {
      const v = 1 + ((i * 7 + k * 3 + tick * 13) % 97);
      rates.push([nsName(i), ifname, v * 1250, v * 980, v * 10, v * 8]);
    }
  const message: ServerMessage = { type: 'rates', at: at(tick), intervalMs: 1000, rates };
  return JSON.stringify(message);
}

/**
 * For the comparison: the same once-a-second update carried as counters in the observed state
 * (an `observed` patch of every namespace), which rebuilds the graph and replaces every node.
 */
export function observedText(n: number, tick: number): string {
  const state = buildObserved(n, tick);
  const message: ServerMessage = {
    type: 'observed',
    takenAt: state.takenAt,
    patches: state.namespaces.slice(1).map((namespace) => ({ op: 'namespace', namespace })),
  };
  return JSON.stringify(message);
}
