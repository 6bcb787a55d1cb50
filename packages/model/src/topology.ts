import { z } from 'zod';
import { CidrText } from './address';
import { FirewallSpec } from './firewall';
import { RouteSpec } from './routing';
import { InterfaceName, Mac, Mtu, NamespaceName, NodeName, ROOT } from './names';
import { LinkEffects } from './link-effects';

/** The topology document: what the user wants the lab to be. Saved as JSON, versioned by schema. */

export const SCHEMA_VERSION = 1;

/** Limits on one document, so a hostile or runaway client cannot make the agent build forever. */
export const LIMITS = {
  namespaces: 4096,
  bridges: 1024,
  links: 8192,
  addressesPerInterface: 64,
} as const;

export const Position = z.object({ x: z.number().finite(), y: z.number().finite() }).strict();
export type Position = z.infer<typeof Position>;

const Addresses = z.array(CidrText).max(LIMITS.addressesPerInterface).default([]);

export const NamespaceSpec = z
  .object({
    name: NamespaceName,
    /** `ip -n NAME link set lo up`; a new namespace's lo starts down, as the tutorial shows. */
    loUp: z.boolean().default(true),
    /** IPv4 forwarding (`sysctl net.ipv4.ip_forward`): a router forwards, a host does not. */
    forwarding: z.boolean().default(false),
    /** Static routes in the main table. */
    routes: z.array(RouteSpec).max(256).default([]),
    firewall: FirewallSpec.default({ chains: [], policies: [], rules: [] }),
    position: Position.optional(),
  })
  .strict();
export type NamespaceSpec = z.infer<typeof NamespaceSpec>;

export const BridgeSpec = z
  .object({
    name: InterfaceName,
    /** The namespace the bridge lives in; absent means the lab's root. */
    namespace: NamespaceName.optional(),
    up: z.boolean().default(true),
    stp: z.boolean().default(false),
    mtu: Mtu.optional(),
    /**
     * Set, the bridge keeps this MAC; unset, the kernel gives it a random one, then the lowest of
     * its ports' (adopt records it, so a fresh lab makes the same bridge).
     */
    mac: Mac.optional(),
    /** Addresses on the bridge itself (e.g. a gateway for the namespaces behind it). */
    addresses: Addresses,
    position: Position.optional(),
  })
  .strict();
export type BridgeSpec = z.infer<typeof BridgeSpec>;

/** One end of a veth pair. On a bridge node, the end is a port of that bridge. */
export const EndpointSpec = z
  .object({
    /** A namespace name, a bridge name, or "root" for the lab's root namespace. */
    node: NodeName,
    ifname: InterfaceName,
    addresses: Addresses,
    up: z.boolean().default(true),
    mtu: Mtu.optional(),
    mac: Mac.optional(),
    /** Delay, loss, rate… on what leaves this end (a bridge port: what the bridge sends to its peer). */
    effects: LinkEffects.optional(),
  })
  .strict();
export type EndpointSpec = z.infer<typeof EndpointSpec>;

export const LinkSpec = z.object({ a: EndpointSpec, b: EndpointSpec }).strict();
export type LinkSpec = z.infer<typeof LinkSpec>;

/**
 * The lab's root namespace as the document holds it: only its firewall (a bridge's
 * `FORWARD -i br0 -o br0 ACCEPT`, a MASQUERADE for the lab). Its lo, forwarding and routes are the
 * sandbox's (or, with --host, the machine's) and never the document's.
 */
export const RootSpec = z
  .object({ firewall: FirewallSpec.default({ chains: [], policies: [], rules: [] }) })
  .strict();
export type RootSpec = z.infer<typeof RootSpec>;

export const Topology = z
  .object({
    schemaVersion: z.literal(SCHEMA_VERSION),
    namespaces: z.array(NamespaceSpec).max(LIMITS.namespaces).default([]),
    bridges: z.array(BridgeSpec).max(LIMITS.bridges).default([]),
    links: z.array(LinkSpec).max(LIMITS.links).default([]),
    /** The lab's root; absent (as in documents older than it) when its firewall is empty. */
    root: RootSpec.optional(),
    /** Where the lab's root is drawn, when something lives there (layout only). */
    rootPosition: Position.optional(),
  })
  .strict();
/** A topology after parsing: defaults filled in, addresses canonical. */
export type Topology = z.infer<typeof Topology>;
/** A topology as written in a file or sent by a client, before defaults. */
export type TopologyInput = z.input<typeof Topology>;

// Frozen: shared by every document without a root, so a caller that changed it would change them all.
const EMPTY_FIREWALL: FirewallSpec = Object.freeze({
  chains: Object.freeze([]) as unknown as FirewallSpec['chains'],
  policies: Object.freeze([]) as unknown as FirewallSpec['policies'],
  rules: Object.freeze([]) as unknown as FirewallSpec['rules'],
});

/** The lab's root's firewall as the document wants it (empty when the document says nothing). */
export const rootFirewall = (doc: Topology): FirewallSpec => doc.root?.firewall ?? EMPTY_FIREWALL;

/** True when a firewall asks nothing of the kernel (no chain, no policy, no rule). */
export const isEmptyFirewall = (fw: FirewallSpec): boolean =>
  fw.chains.length === 0 && fw.policies.length === 0 && fw.rules.length === 0;

/** The firewall of a namespace or of the lab's root ("root"); undefined for a name the document lacks. */
export function firewallOf(doc: Topology, node: string): FirewallSpec | undefined {
  if (node === ROOT) return rootFirewall(doc);
  return doc.namespaces.find((ns) => ns.name === node)?.firewall;
}

export const emptyTopology = (): Topology => ({
  schemaVersion: SCHEMA_VERSION,
  namespaces: [],
  bridges: [],
  links: [],
});
