import {
  ROOT,
  isEmptyFirewall,
  isKernelOwnAddress,
  rootFirewall,
  type ObservedNamespace,
  type Topology,
} from '@netcanvas/model';
import type { GraphIndex } from './graph-index';
import { nodeIfnames, nodeRows, shownAddresses, strayRow } from './graph-rows';
import { firewallDrift, netfilterDrift } from './netfilter';
import { differenceReasons, interfaceStatus } from './status';
import type { CardKind, NetfilterSummary, RowModel } from './types';

/** A card before it is placed: a namespace of the document, the lab's root, or a namespace made by hand. */
export interface CardModel {
  id: string;
  kind: CardKind;
  name: string;
  context: string;
  /** The rows' interface names, in order: all the card's size, handles and anchors need. */
  ifnames: string[];
  /**
   * The rows, drift and firewall summary, worked out when called: a namespace's card node calls
   * it when its view first reads them (graph-nodes.ts), so a large lab's 2,000 cards cost their
   * names and sizes only. A function, not getters: defining properties per card cost more than
   * the card (docs/benchmarks.md, "First render, 2026-12-02 (session 9)").
   */
  details: () => CardDetails;
}

export interface CardDetails {
  rows: RowModel[];
  drift: string[];
  netfilter: NetfilterSummary | null;
}

type NamespaceSpec = Topology['namespaces'][number];

const summary = (o: ObservedNamespace | undefined, spec?: NamespaceSpec): NetfilterSummary => ({
  forwarding: o?.forwarding ?? spec?.forwarding ?? false,
  rules: o?.firewall?.rules.length ?? spec?.firewall.rules.length ?? 0,
  routes: o?.routes?.filter((r) => r.protocol !== 'kernel').length ?? spec?.routes.length ?? 0,
});

/**
 * A namespace's loopback, always its first row: its state against `loUp`; "missing", with the
 * same reason as its other rows, when the kernel has no such namespace (deleted by hand).
 */
function loopbackRow(ns: NamespaceSpec, o: ObservedNamespace | undefined): RowModel {
  const lo = o?.interfaces.find((i) => i.ifname === 'lo');
  const status = interfaceStatus(
    { up: ns.loUp, addresses: lo ? lo.addresses.filter((a) => isKernelOwnAddress(lo, a)) : [] },
    lo,
  );
  return {
    ifname: 'lo',
    kind: 'loopback',
    state: o ? status.state : 'missing',
    addresses: lo ? shownAddresses(lo, []) : [],
    mtu: lo?.mtu ?? null,
    drift: o ? status.drift : differenceReasons({ kind: 'missing' }),
    unmanaged: false,
    peer: null,
  };
}

/** How a document's namespace differs from the kernel's, as a whole (its interfaces say their own). */
function namespaceDrift(ns: NamespaceSpec, o: ObservedNamespace | undefined): string[] {
  if (!o) return ['not in the kernel'];
  if (o.managed) return netfilterDrift(ns, o);
  return ['made outside netcanvas (not recorded as the lab’s)', ...netfilterDrift(ns, o)];
}

/**
 * The document's namespaces. Their rows, drift and summary are worked out when first read
 * (./lazy.ts): a large lab's canvas reads those of the cards in view only, at first.
 */
export function namespaceCards(index: GraphIndex): CardModel[] {
  return index.doc.namespaces.map((ns) => ({
    id: ns.name,
    kind: 'namespace' as const,
    name: ns.name,
    context: ns.name,
    ifnames: ['lo', ...nodeIfnames(index, ns.name, ns.name)],
    details: (): CardDetails => {
      const o = index.observedNs.get(ns.name);
      return {
        rows: [loopbackRow(ns, o), ...nodeRows(index, ns.name, ns.name)],
        drift: namespaceDrift(ns, o),
        netfilter: summary(o, ns),
      };
    },
  }));
}

/**
 * The root is drawn when something lives there: interfaces, or a firewall (the document's or
 * the kernel's), so its rules have a card to open them from like a namespace's.
 */
export function rootCard(index: GraphIndex): CardModel | null {
  const rows = nodeRows(index, ROOT, ROOT);
  const o = index.observedNs.get(ROOT);
  const wall = rootFirewall(index.doc);
  if (rows.length === 0 && isEmptyFirewall(wall) && (o?.firewall?.rules.length ?? 0) === 0) return null;
  const details: CardDetails = {
    rows,
    drift: firewallDrift(wall, o?.firewall),
    netfilter: {
      forwarding: o?.forwarding ?? false,
      rules: o?.firewall?.rules.length ?? wall.rules.length,
      routes: o?.routes?.filter((r) => r.protocol !== 'kernel').length ?? 0,
    },
  };
  return {
    id: ROOT,
    kind: 'root',
    name: 'lab root',
    context: ROOT,
    ifnames: rows.map((r) => r.ifname),
    details: () => details,
  };
}

/** Namespaces in the kernel that the document does not name: every interface of theirs is a row. */
export function foreignCards(index: GraphIndex): CardModel[] {
  const { doc } = index;
  const docNames = new Set([...doc.namespaces.map((n) => n.name), ...doc.bridges.map((b) => b.name)]);
  return [...index.observedNs.values()]
    .filter((o) => o.name !== ROOT && !docNames.has(o.name))
    .map((o) => ({
      id: o.name,
      kind: 'foreign',
      name: o.name,
      context: o.name,
      ifnames: o.interfaces.map((i) => i.ifname),
      details: () => ({ rows: o.interfaces.map(strayRow(index, o.name)), drift: [], netfilter: summary(o) }),
    }));
}
