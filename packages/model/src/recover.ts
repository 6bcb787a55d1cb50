import { CidrText, inSubnet, parseCidr } from './address';
import {
  BUILTIN_CHAINS,
  FirewallRule,
  POLICY_TABLES,
  TABLES,
  ChainName,
  type FirewallSpec,
  type Table,
} from './firewall';
import type { ValidationIssue } from './issues';
import { NamespaceName, ROOT } from './names';
import {
  givenAddresses,
  type ObservedInterface,
  type ObservedNamespace,
  type ObservedRoute,
  type ObservedState,
} from './observed';
import { resolveTopology } from './resolve';
import { RouteSpec, effectiveMetric } from './routing';
import { BridgeSpec, EndpointSpec, LIMITS, type Topology } from './topology';
import { shellQuote } from './steps';
import { validateTopology } from './validate';
import { ruleFromArgs } from './firewall-args';

/**
 * Rebuilding the document from the kernel (issue 8): when the saved document is missing or
 * damaged but the lab still holds what netcanvas made, the document is read back from the
 * ownership marks instead of starting empty (which would delete the user's network). Pure.
 *
 * Only what the lab owns is read: managed namespaces (lo, forwarding, routes of protocol 203,
 * rules with the lab's comment, DROP policies of built-in chains), managed bridges and managed
 * veth pairs whose two ends are the lab's. Whatever the document cannot say is left out and named
 * in `unrecovered`. Leaving something out is always preferred to changing it: the agent runs the
 * first reconcile after a recovery without deletions, so an object left out whole stays as it is,
 * whereas a half-recovered one would be rewritten (so a chain's rules are recovered all or none,
 * and an address is left out together with the addresses of its subnet on that interface).
 */
export interface Recovered {
  /** Valid (passes validateTopology); no positions (the editor lays nodes out). */
  document: Topology;
  /** Owned things found in the kernel that the document could not express, one sentence each. */
  unrecovered: string[];
  /** Counts for the log line. */
  counts: { namespaces: number; bridges: number; links: number; routes: number; rules: number };
}

type NamespaceDoc = Topology['namespaces'][number];
type BridgeDoc = Topology['bridges'][number];
type EndpointDoc = Topology['links'][number]['a'];
type RouteDoc = NamespaceDoc['routes'][number];
type ChainDoc = FirewallSpec['chains'][number];
type PolicyDoc = FirewallSpec['policies'][number];

/** The document's limits inside one namespace (topology.ts, firewall.ts). */
const MAX_ROUTES = 256;
const MAX_CHAINS = 64;
const MAX_RULES = 1000;

/** The MTU a new veth or bridge gets: left out of the document, as a user who never set one wrote it. */
const DEFAULT_MTU = 1500;

const describeContext = (context: string) => (context === ROOT ? "the lab's root" : `namespace "${context}"`);

const describeRoute = (r: ObservedRoute) =>
  [r.type ?? '', r.to, r.via !== null ? `via ${r.via}` : '', r.dev !== null ? `dev ${r.dev}` : '']
    .filter(Boolean)
    .join(' ');

const describeRule = (table: string, chain: string, args: readonly string[]) =>
  `${table === 'filter' ? '' : `-t ${table} `}-A ${chain} ${shellQuote(args)}`.trim();

// --- the document, as a draft that can lose parts ----------------------------------------------

/** `gone`: left out during validation, removed by the next cascade. */
interface Part<T> {
  value: T;
  gone?: boolean;
  /** The object, in words, for `unrecovered`. */
  what: string;
}

interface NamespaceDraft {
  what: string;
  gone?: boolean;
  name: string;
  loUp: boolean;
  forwarding: boolean;
  routes: Part<RouteDoc>[];
  chains: Part<ChainDoc>[];
  policies: Part<PolicyDoc>[];
  rules: (Part<FirewallRule> & { key: string })[];
}

interface InterfaceDraft {
  what: string;
  addresses: string[];
}

interface BridgeDraft {
  what: string;
  gone?: boolean;
  spec: Omit<BridgeDoc, 'addresses'>;
  iface: InterfaceDraft;
}

interface LinkDraft {
  what: string;
  gone?: boolean;
  a: Omit<EndpointDoc, 'addresses'>;
  b: Omit<EndpointDoc, 'addresses'>;
  ends: { a: InterfaceDraft; b: InterfaceDraft };
}

interface Draft {
  namespaces: NamespaceDraft[];
  bridges: BridgeDraft[];
  links: LinkDraft[];
  /** The lab's root: only its chains, policies and rules are the document's. */
  root?: NamespaceDraft;
}

const firewallOfDraft = (ns: NamespaceDraft): FirewallSpec => ({
  chains: ns.chains.map((c) => c.value),
  policies: ns.policies.map((p) => p.value),
  rules: ns.rules.map((r) => r.value),
});

/** The root is written only when its firewall asks for something, as the editor writes it. */
const rootOfDraft = (root: NamespaceDraft | undefined): Pick<Topology, 'root'> =>
  root && root.chains.length + root.policies.length + root.rules.length > 0
    ? { root: { firewall: firewallOfDraft(root) } }
    : {};

const toDocument = (draft: Draft): Topology => ({
  schemaVersion: 1,
  namespaces: draft.namespaces.map((ns): NamespaceDoc => ({
    name: ns.name,
    loUp: ns.loUp,
    forwarding: ns.forwarding,
    routes: ns.routes.map((r) => r.value),
    firewall: firewallOfDraft(ns),
  })),
  bridges: draft.bridges.map((br) => ({ ...br.spec, addresses: br.iface.addresses })),
  links: draft.links.map((link) => ({
    a: { ...link.a, addresses: link.ends.a.addresses },
    b: { ...link.b, addresses: link.ends.b.addresses },
  })),
  ...rootOfDraft(draft.root),
});

/** Reads back the document of what the lab owns in the kernel. Pure. */
export function recoverTopology(observed: ObservedState): Recovered {
  const unrecovered: string[] = [];
  const lost = (what: string, why: string) => unrecovered.push(`${what}: ${why}`);
  const draft: Draft = { namespaces: [], bridges: [], links: [] };

  const byName = new Map(observed.namespaces.map((ns) => [ns.name, ns]));
  /** The contexts whose interfaces the document can hold: the lab's root and its own namespaces. */
  const owned = (name: string) => name === ROOT || byName.get(name)?.managed === true;
  /** Node names (namespaces, bridges, "root") share one space in the document. */
  const nodeNames = new Set<string>([ROOT]);
  /** The contexts whose interfaces are read: the lab's root and the namespaces recovered. */
  const recoveredNs = new Set<string>([ROOT]);

  // --- namespaces ---------------------------------------------------------------------------
  for (const ns of observed.namespaces) {
    if (ns.name === ROOT) {
      for (const route of ns.routes ?? [])
        if (route.managed)
          lost(
            `route "${describeRoute(route)}" in the lab's root`,
            'the document holds routes of named namespaces only',
          );
      draft.root = rootDraft(ns, lost);
      continue;
    }
    if (!ns.managed) continue;
    const what = `namespace "${ns.name}"`;
    const name = NamespaceName.safeParse(ns.name);
    if (!name.success) {
      lost(what, name.error.issues[0]?.message ?? 'not a name the document takes');
      continue;
    }
    if (draft.namespaces.length >= LIMITS.namespaces) {
      lost(what, `a document holds at most ${LIMITS.namespaces} namespaces`);
      continue;
    }
    nodeNames.add(ns.name);
    recoveredNs.add(ns.name);
    draft.namespaces.push(namespaceDraft(ns, lost));
  }

  // --- bridges ------------------------------------------------------------------------------
  const key = (context: string, name: string) => `${context}\0${name}`;
  const bridges = new Set<string>();
  for (const ns of observed.namespaces) {
    if (!recoveredNs.has(ns.name)) continue;
    for (const iface of ns.interfaces) {
      if (!iface.managed || iface.kind !== 'bridge') continue;
      const what = `bridge "${iface.ifname}" in ${describeContext(ns.name)}`;
      if (nodeNames.has(iface.ifname)) {
        lost(what, `the document names nodes once, and "${iface.ifname}" is already taken`);
        continue;
      }
      if (draft.bridges.length >= LIMITS.bridges) {
        lost(what, `a document holds at most ${LIMITS.bridges} bridges`);
        continue;
      }
      const spec = BridgeSpec.safeParse({
        name: iface.ifname,
        ...(ns.name === ROOT ? {} : { namespace: ns.name }),
        up: iface.up,
        stp: iface.stp ?? false,
        ...(iface.mtu !== DEFAULT_MTU ? { mtu: iface.mtu } : {}),
        ...(pinnedBridgeMac(iface, ns.interfaces) ? { mac: iface.mac } : {}),
        addresses: [],
      });
      if (!spec.success) {
        lost(what, spec.error.issues[0]?.message ?? 'not a bridge the document takes');
        continue;
      }
      const { addresses: _none, position: _position, ...rest } = spec.data;
      nodeNames.add(iface.ifname);
      bridges.add(key(ns.name, iface.ifname));
      draft.bridges.push({ what, spec: rest, iface: { what, addresses: addressesOf(iface, what, lost) } });
    }
  }

  // --- veth pairs, and what else carries the mark ------------------------------------------------
  const paired = new Set<string>();
  // Named namespaces first: a veth to the root is written from the namespace's side, as people draw it.
  const rootLast = [...observed.namespaces].sort((x, y) => Number(x.name === ROOT) - Number(y.name === ROOT));
  for (const ns of rootLast) {
    if (!recoveredNs.has(ns.name)) continue;
    for (const iface of ns.interfaces) {
      if (!iface.managed || iface.kind === 'bridge' || paired.has(key(ns.name, iface.ifname))) continue;
      const what = `${iface.kind === 'veth' ? 'veth' : 'interface'} "${iface.ifname}" in ${describeContext(ns.name)}`;
      if (iface.kind !== 'veth') {
        lost(what, `a ${iface.kind}; the document holds veth pairs and bridges`);
        continue;
      }
      const peerNs = iface.peer?.namespace ?? null;
      const peerName = iface.peer?.ifname ?? null;
      if (peerNs === null || peerName === null) {
        lost(what, 'its peer is in a namespace the lab cannot see');
        continue;
      }
      const peer = byName.get(peerNs)?.interfaces.find((i) => i.ifname === peerName);
      const peerWhat = `its peer "${peerName}" in ${describeContext(peerNs)}`;
      if (!peer) {
        lost(what, `${peerWhat} is gone`);
        continue;
      }
      paired.add(key(peerNs, peerName));
      if (!owned(peerNs)) {
        lost(what, `${peerWhat} lives in a namespace netcanvas did not make`);
        continue;
      }
      if (!recoveredNs.has(peerNs)) {
        lost(what, `${peerWhat} lives in a namespace that is not recovered`);
        continue;
      }
      if (!peer.managed || peer.kind !== 'veth') {
        lost(what, `${peerWhat} is not a veth netcanvas made`);
        continue;
      }
      const pairWhat = `veth pair "${iface.ifname}" in ${describeContext(ns.name)} – "${peer.ifname}" in ${describeContext(peerNs)}`;
      const end = (
        context: string,
        i: ObservedInterface,
      ): Part<LinkDraft['a']> & { iface: InterfaceDraft } => {
        const endWhat = `"${i.ifname}" in ${describeContext(context)}`;
        const node = i.master ?? context;
        let addresses: string[];
        if (i.master !== null) {
          for (const a of givenAddresses(i))
            lost(
              `address ${a} on ${endWhat}`,
              `a port of bridge "${i.master}" carries no addresses in the document`,
            );
          addresses = [];
        } else addresses = addressesOf(i, endWhat, lost);
        const mac = i.mac !== null && EndpointSpec.shape.mac.safeParse(i.mac).success ? i.mac : undefined;
        return {
          what: endWhat,
          value: {
            node,
            ifname: i.ifname,
            up: i.up,
            ...(i.mtu !== DEFAULT_MTU ? { mtu: i.mtu } : {}),
            ...(mac !== undefined ? { mac } : {}),
          },
          iface: { what: endWhat, addresses },
        };
      };
      const unknownBridge = [iface, peer].find(
        (i, k) => i.master !== null && !bridges.has(key(k === 0 ? ns.name : peerNs, i.master)),
      );
      if (unknownBridge) {
        lost(
          pairWhat,
          `"${unknownBridge.ifname}" is a port of bridge "${unknownBridge.master}", which is not in the document`,
        );
        continue;
      }
      if (iface.master !== null && iface.master === peer.master && ns.name === peerNs) {
        lost(pairWhat, `both ends are ports of bridge "${iface.master}"`);
        continue;
      }
      const ends = [end(ns.name, iface), end(peerNs, peer)];
      const bad = ends.find(
        (e) => !EndpointSpec.safeParse({ ...e.value, addresses: e.iface.addresses }).success,
      );
      if (bad) {
        const issue = EndpointSpec.safeParse({ ...bad.value, addresses: bad.iface.addresses }).error;
        lost(pairWhat, `${bad.what}: ${issue?.issues[0]?.message ?? 'not an end the document takes'}`);
        continue;
      }
      if (draft.links.length >= LIMITS.links) {
        lost(pairWhat, `a document holds at most ${LIMITS.links} veth pairs`);
        continue;
      }
      // A bridge port is written second, as people draw it (a namespace plugged into a bridge).
      const [a, b] = iface.master !== null && peer.master === null ? [ends[1], ends[0]] : [ends[0], ends[1]];
      if (!a || !b) continue;
      draft.links.push({ what: pairWhat, a: a.value, b: b.value, ends: { a: a.iface, b: b.iface } });
    }
  }

  const document = withSimplerRoutes(settle(draft, lost));
  return {
    document,
    unrecovered,
    counts: {
      namespaces: document.namespaces.length,
      bridges: document.bridges.length,
      links: document.links.length,
      routes: document.namespaces.reduce((n, ns) => n + ns.routes.length, 0),
      rules: document.namespaces.reduce(
        (n, ns) => n + ns.firewall.rules.length,
        document.root?.firewall.rules.length ?? 0,
      ),
    },
  };
}

/**
 * The lab's root's firewall, read as a namespace's: rules with the lab's comment, the user chains
 * they need, and (in a sandbox, whose root is the lab's) DROP policies. On the host the root is
 * the machine's: its policies are not the lab's to write down.
 */
/**
 * Whether a bridge's MAC is one the document should hold. The kernel moves a bridge's MAC by itself
 * until it is set by hand (`ip link set address`): to the lowest of its ports' MACs as ports come
 * and go, and a bridge without ports has a random one. A document that held such a MAC would
 * plan to set it back after the next port joins ("MAC drift" of an edit that only added a port:
 * the fault suite's FAULT_SEED=862233234, an adopted bridge made by hand). `ip` does not say how a
 * MAC was assigned, so it is held only when it cannot be the kernel's choice: the bridge has ports
 * and its MAC is not the lowest of theirs.
 */
function pinnedBridgeMac(bridge: ObservedInterface, all: readonly ObservedInterface[]): boolean {
  if (bridge.mac === null || !BridgeSpec.shape.mac.safeParse(bridge.mac).success) return false;
  const ports = all
    .filter((i) => i.master === bridge.ifname && i.mac !== null)
    .map((i) => i.mac!.toLowerCase());
  if (ports.length === 0) return false;
  return ports.sort()[0] !== bridge.mac.toLowerCase();
}

function rootDraft(
  root: ObservedNamespace,
  lost: (what: string, why: string) => void,
): NamespaceDraft | undefined {
  // Every whole read reads it; a reading without it (made before roots had firewalls) holds none.
  if (root.firewall === undefined) return undefined;
  const draft = namespaceDraft({ ...root, routes: [], forwarding: false }, lost);
  if (!root.managed) draft.policies = [];
  return draft;
}

function namespaceDraft(ns: ObservedNamespace, lost: (what: string, why: string) => void): NamespaceDraft {
  const where = describeContext(ns.name);
  const draft: NamespaceDraft = {
    what: where,
    name: ns.name,
    loUp: ns.interfaces.find((i) => i.ifname === 'lo')?.up ?? false,
    forwarding: ns.forwarding ?? false,
    routes: [],
    chains: [],
    policies: [],
    rules: [],
  };
  if (ns.forwarding === undefined)
    lost(
      `forwarding of ${where}`,
      'not read; the document says off, and nothing is changed until it is read',
    );

  for (const route of ns.routes ?? []) {
    if (!route.managed) continue;
    const what = `route "${describeRoute(route)}" in ${where}`;
    const spec = RouteSpec.safeParse({
      ...(route.type !== undefined ? { type: route.type } : {}),
      to: route.to,
      ...(route.via !== null ? { via: route.via } : {}),
      ...(route.dev !== null ? { dev: route.dev } : {}),
      // IPv6 gives a route with no metric 1024: written as the user wrote it, without one.
      ...(route.metric !== null && route.metric !== effectiveMetric({ to: route.to })
        ? { metric: route.metric }
        : {}),
    });
    if (!spec.success) lost(what, spec.error.issues[0]?.message ?? 'not a route the document takes');
    else if (draft.routes.length >= MAX_ROUTES)
      lost(what, `a namespace holds at most ${MAX_ROUTES} routes in the document`);
    else draft.routes.push({ what, value: spec.data });
  }

  const firewall = ns.firewall;
  if (firewall === undefined) {
    lost(`the firewall of ${where}`, 'not read, so its rules and policies are not recovered');
    return draft;
  }
  const chainOf = (table: string, name: string) =>
    firewall.chains.find((c) => c.table === table && c.name === name);
  const isBuiltin = (table: string, name: string) =>
    (TABLES as readonly string[]).includes(table) && BUILTIN_CHAINS[table as Table].includes(name);
  const declare = (table: Table, name: string) => {
    if (isBuiltin(table, name) || draft.chains.some((c) => c.value.table === table && c.value.name === name))
      return;
    // Only a user chain the kernel has (no policy) is declared; a jump to anything else is invalid.
    const seen = chainOf(table, name);
    if (!seen || seen.policy !== null || !ChainName.safeParse(name).success) return;
    // Past the document's limit, the chain's rules are refused by validation, and left out whole.
    if (draft.chains.length >= MAX_CHAINS) return;
    draft.chains.push({ what: `chain "${name}" of the ${table} table in ${where}`, value: { table, name } });
  };

  // A chain's rules are recovered all or none: a planner that finds a chain's rules changed
  // deletes them all and appends the wanted ones, so a gap would reorder or duplicate them.
  const rules = firewall.rules.filter((r) => r.managed);
  const parsed = rules.map((r) => ({ observed: r, rule: ruleFromArgs(r.table, r.chain, r.args) }));
  const brokenChains = new Set(
    parsed.filter((p) => p.rule === null).map((p) => `${p.observed.table} ${p.observed.chain}`),
  );
  // Past the document's limit of rules, whole chains are left out (in the order they come).
  const sizes = new Map<string, number>();
  for (const p of parsed) {
    const key = `${p.observed.table} ${p.observed.chain}`;
    if (!brokenChains.has(key)) sizes.set(key, (sizes.get(key) ?? 0) + 1);
  }
  const tooMany = new Set<string>();
  let total = 0;
  for (const [key, size] of sizes)
    if (total + size > MAX_RULES) tooMany.add(key);
    else total += size;
  for (const { observed: r, rule } of parsed) {
    const what = `firewall rule "${describeRule(r.table, r.chain, r.args)}" in ${where}`;
    const key = `${r.table} ${r.chain}`;
    if (rule === null) lost(what, 'not in the form netcanvas writes');
    else if (brokenChains.has(key))
      lost(
        what,
        'another netcanvas rule of its chain could not be recovered, and a chain is recovered whole',
      );
    else if (tooMany.has(key))
      lost(
        what,
        `a namespace holds at most ${MAX_RULES} rules in the document, and a chain is recovered whole`,
      );
    else {
      declare(rule.table, rule.chain);
      declare(rule.table, rule.target);
      draft.rules.push({ what, value: rule, key });
    }
  }

  for (const chain of firewall.chains) {
    if (chain.policy === null || chain.policy === 'ACCEPT') continue;
    const what = `policy ${chain.policy} of ${chain.table} ${chain.name} in ${where}`;
    // The document's policy says what the chain must be (unset: left as it is), so a recovered DROP
    // changes nothing; ACCEPT, a new namespace's, is left unset.
    const table = chain.table as Table;
    if (
      (POLICY_TABLES as readonly string[]).includes(table) &&
      BUILTIN_CHAINS[table].includes(chain.name) &&
      chain.policy === 'DROP'
    )
      draft.policies.push({
        what,
        value: { table, chain: chain.name as PolicyDoc['chain'], policy: 'DROP' },
      });
    else lost(what, 'the document sets ACCEPT or DROP on the built-in chains of raw, mangle and filter only');
  }
  return draft;
}

/** The interface's addresses the document takes; one it refuses is left out with its subnet. */
function addressesOf(
  iface: ObservedInterface,
  what: string,
  lost: (what: string, why: string) => void,
): string[] {
  let kept: string[] = [];
  const refused: { text: string; why: string }[] = [];
  for (const text of givenAddresses(iface)) {
    const parsed = CidrText.safeParse(text);
    if (!parsed.success) refused.push({ text, why: parsed.error.issues[0]?.message ?? 'not an address' });
    else if (kept.length >= LIMITS.addressesPerInterface)
      refused.push({ text, why: `an interface holds at most ${LIMITS.addressesPerInterface} addresses` });
    else kept.push(parsed.data);
  }
  for (const r of refused) {
    lost(`address ${r.text} on ${what}`, r.why);
    kept = withoutSubnetOf(kept, r.text, what, lost);
  }
  return kept;
}

/**
 * Leaving an IPv4 address out makes the planner delete it, and re-add the addresses of the same
 * subnet after it (the kernel drops a subnet's secondaries with its primary): with deletions held
 * back, the re-adds would fail. So the addresses sharing its subnet are left out with it.
 */
function withoutSubnetOf(
  addresses: string[],
  text: string,
  what: string,
  lost: (what: string, why: string) => void,
): string[] {
  const gone = parseCidr(text);
  if (!gone.ok || gone.value.family !== 4) return addresses;
  return addresses.filter((a) => {
    const p = parseCidr(a);
    const shares =
      p.ok &&
      p.value.family === 4 &&
      p.value.prefix === gone.value.prefix &&
      inSubnet(p.value.ip, gone.value);
    if (shares) lost(`address ${a} on ${what}`, `it shares its subnet with ${text}, which is not recovered`);
    return !shares;
  });
}

/**
 * The kernel names the device of every route; a route written with a gateway only is read back
 * with the interface the kernel chose. When that is the one interface of the namespace whose
 * subnet holds the gateway, the device is left out, as the user wrote it (the planner matches a
 * route without one on any device).
 */
function withSimplerRoutes(doc: Topology): Topology {
  const resolved = resolveTopology(doc);
  const interfaces = [...resolved.bridges, ...resolved.veths.flat()];
  const simpler = (route: RouteDoc, namespace: string): RouteDoc => {
    const via = route.via;
    if (via === undefined || route.dev === undefined) return route;
    const holders = interfaces.filter(
      (x) =>
        x.context === namespace &&
        x.addresses.some((a) => {
          const p = parseCidr(a);
          return p.ok && inSubnet(via, p.value);
        }),
    );
    if (holders.length !== 1 || holders[0]?.ifname !== route.dev) return route;
    const { dev: _dev, ...rest } = route;
    return rest;
  };
  return {
    ...doc,
    namespaces: doc.namespaces.map((ns) => ({ ...ns, routes: ns.routes.map((r) => simpler(r, ns.name)) })),
  };
}

// --- validation: what the document refuses is left out ------------------------------------------

/**
 * Validates the draft and leaves out what the document refuses (named in `unrecovered`), until it
 * is valid. Each pass leaves out at least one part, so this ends.
 */
function settle(draft: Draft, lost: (what: string, why: string) => void): Topology {
  for (;;) {
    const result = validateTopology(toDocument(draft));
    if (result.ok) return result.value;
    const progress = result.issues.map((issue) => leaveOut(draft, issue, lost)).some(Boolean);
    if (!progress) {
      // Not reached with a draft built above; still, never return a document that does not validate.
      for (const issue of result.issues) lost('the recovered document', `${issue.path}: ${issue.message}`);
      for (const ns of [...draft.namespaces, ...(draft.root ? [draft.root] : [])])
        if (ns.routes.length + ns.rules.length + ns.chains.length + ns.policies.length > 0)
          lost(ns.what, 'its routes and firewall are left out');
      for (const x of [...draft.bridges, ...draft.links]) lost(x.what, 'left out');
      const bare = toDocument({
        namespaces: draft.namespaces.map((ns) => ({
          ...ns,
          routes: [],
          chains: [],
          policies: [],
          rules: [],
        })),
        bridges: [],
        links: [],
      });
      const last = validateTopology(bare);
      return last.ok ? last.value : { schemaVersion: 1, namespaces: [], bridges: [], links: [] };
    }
    cascade(draft, lost);
  }
}

/** Leaves out the part `issue` is about; false when the path names no part. */
function leaveOut(draft: Draft, issue: ValidationIssue, lost: (what: string, why: string) => void): boolean {
  const m = /^(?:(namespaces|bridges|links)\[(\d+)\]|(root))(.*)$/.exec(issue.path);
  if (!m) return false;
  const index = Number(m[2]);
  const rest = m[4] as string;
  // The message names other parts by their path in the draft document: by what they are, instead.
  const why = issue.message.replace(
    /\b(?:links\[(\d+)\]\.(a|b)|bridges\[(\d+)\])/g,
    (path, link?: string, side?: 'a' | 'b', bridge?: string) =>
      link !== undefined
        ? `"${draft.links[Number(link)]?.[side as 'a' | 'b'].ifname ?? path}"`
        : `bridge "${draft.bridges[Number(bridge)]?.spec.name ?? path}"`,
  );
  const drop = (list: { what: string; gone?: boolean }[], i: number): boolean => {
    const item = list[i];
    if (!item || item.gone) return false;
    item.gone = true;
    lost(item.what, why);
    return true;
  };
  if (m[1] === 'namespaces' || m[3] === 'root') {
    const ns = m[3] === 'root' ? draft.root : draft.namespaces[index];
    if (!ns) return false;
    const part = /^\.(routes|firewall\.chains|firewall\.policies|firewall\.rules)\[(\d+)\]/.exec(rest);
    if (!part) return m[3] === 'root' ? false : drop(draft.namespaces, index);
    const list = {
      routes: ns.routes,
      'firewall.chains': ns.chains,
      'firewall.policies': ns.policies,
      'firewall.rules': ns.rules,
    }[part[1] as 'routes'] as { what: string; gone?: boolean }[];
    return drop(list, Number(part[2]));
  }
  if (m[1] === 'bridges') {
    const address = /^\.addresses\[(\d+)\]/.exec(rest);
    const br = draft.bridges[index];
    if (address && br) return dropAddress(br.iface, Number(address[1]), why, lost);
    return drop(draft.bridges, index);
  }
  const address = /^\.(a|b)\.addresses\[(\d+)\]/.exec(rest);
  const link = draft.links[index];
  if (address && link) return dropAddress(link.ends[address[1] as 'a' | 'b'], Number(address[2]), why, lost);
  return drop(draft.links, index);
}

function dropAddress(
  iface: InterfaceDraft,
  index: number,
  why: string,
  lost: (what: string, why: string) => void,
): boolean {
  const text = iface.addresses[index];
  if (text === undefined) return false;
  lost(`address ${text} on ${iface.what}`, why);
  const others = iface.addresses.filter((_, i) => i !== index);
  iface.addresses = withoutSubnetOf(others, text, iface.what, lost);
  return true;
}

/** Removes what was left out, and what needs it: a namespace's bridges, links to it, a chain's rules. */
function cascade(draft: Draft, lost: (what: string, why: string) => void): void {
  const gone = (x: { gone?: boolean }) => x.gone === true;
  const goneNs = new Set(draft.namespaces.filter(gone).map((ns) => ns.name));
  draft.namespaces = draft.namespaces.filter((ns) => !gone(ns));
  for (const br of draft.bridges)
    if (!gone(br) && br.spec.namespace !== undefined && goneNs.has(br.spec.namespace)) {
      br.gone = true;
      lost(br.what, `its namespace "${br.spec.namespace}" is not recovered`);
    }
  const goneNodes = new Set([...goneNs, ...draft.bridges.filter(gone).map((br) => br.spec.name)]);
  draft.bridges = draft.bridges.filter((br) => !gone(br));
  for (const link of draft.links)
    if (!gone(link))
      for (const side of ['a', 'b'] as const)
        if (!gone(link) && goneNodes.has(link[side].node)) {
          link.gone = true;
          lost(link.what, `"${link[side].node}" is not recovered`);
        }
  draft.links = draft.links.filter((link) => !gone(link));
  for (const ns of [...draft.namespaces, ...(draft.root ? [draft.root] : [])]) {
    ns.routes = ns.routes.filter((r) => !gone(r));
    ns.policies = ns.policies.filter((p) => !gone(p));
    const goneChains = new Set(ns.chains.filter(gone).map((c) => `${c.value.table} ${c.value.name}`));
    ns.chains = ns.chains.filter((c) => !gone(c));
    // A rule in or to a chain left out goes; and a chain's rules go together.
    for (const r of ns.rules)
      if (!gone(r) && (goneChains.has(r.key) || goneChains.has(`${r.value.table} ${r.value.target}`))) {
        r.gone = true;
        lost(r.what, 'its chain is not recovered');
      }
    const brokenKeys = new Set(ns.rules.filter(gone).map((r) => r.key));
    for (const r of ns.rules)
      if (!gone(r) && brokenKeys.has(r.key)) {
        r.gone = true;
        lost(
          r.what,
          'another netcanvas rule of its chain could not be recovered, and a chain is recovered whole',
        );
      }
    ns.rules = ns.rules.filter((r) => !gone(r));
  }
}
