import { stringify } from 'yaml';
import { ruleArgs, type FirewallRule } from './firewall';
import { ruleFromArgs } from './firewall-args';
import { ROOT } from './names';
import type { RouteSpec } from './routing';
import { shellQuote } from './steps';
import type { EndpointSpec, NamespaceSpec, Topology } from './topology';

/**
 * Writes a document as a containerlab topology (issue 13 §6): namespaces as `kind: linux` nodes,
 * bridges as `kind: bridge` nodes (containerlab's bridges are the host's, as a lab's root holds
 * ours), links as `endpoints`, an end in the lab's root as `host:IF`. What a namespace holds is
 * written as the `exec:` lines containerlab runs in the node (addresses, link settings, routes,
 * forwarding, iptables), in the forms clab-import.ts reads back; places as the `graph-posX/Y`
 * labels containerlab's graph uses. What containerlab cannot carry is left out, each with a note:
 * `clabPart` says exactly what, so export → import gives `clabPart(doc).document`.
 */

/** The image containerlab's own examples use for linux nodes (it has ip, iptables, ping). */
export const CLAB_LINUX_IMAGE = 'ghcr.io/hellt/network-multitool';

const HEADER = [
  'Exported by netcanvas: each node is a network namespace (kind linux) whose exec lines set its',
  "addresses, routes and firewall; each bridge is a Linux bridge on the host (containerlab's kind",
  'bridge: make it first, e.g. `ip link add br0 type bridge`).',
].join('\n');

/** The part of a document a containerlab file holds, and a note for each thing it cannot. */
export function clabPart(doc: Topology): { document: Topology; notes: string[] } {
  const notes: string[] = [];
  if (doc.root)
    notes.push("the lab's root firewall: not in the file (containerlab has no place for the host's rules)");
  if (doc.rootPosition) notes.push("the lab's root's place on the canvas: not in the file");
  const inNamespace = new Set(doc.bridges.filter((b) => b.namespace !== undefined).map((b) => b.name));
  for (const name of inNamespace)
    notes.push(
      `bridge ${name} (inside a namespace) and its links: not in the file (containerlab's bridges are the host's)`,
    );
  const bridges = doc.bridges
    .filter((b) => !inNamespace.has(b.name))
    .map((b) => {
      const lost = [
        b.stp && 'STP',
        b.mtu !== undefined && 'MTU',
        b.mac && 'MAC',
        b.addresses.length > 0 && 'addresses',
        !b.up && 'down',
      ].filter(Boolean);
      if (lost.length > 0) notes.push(`bridge ${b.name}: its ${lost.join(', ')} not in the file`);
      return {
        name: b.name,
        up: true,
        stp: false,
        addresses: [],
        ...(b.position ? { position: b.position } : {}),
      };
    });
  const bridgeNames = new Set(bridges.map((b) => b.name));
  const namespaces = new Set(doc.namespaces.map((n) => n.name));
  const links = doc.links
    .filter((l) => !inNamespace.has(l.a.node) && !inNamespace.has(l.b.node))
    .map((l) => ({
      a: endPart(l.a, namespaces, bridgeNames, notes),
      b: endPart(l.b, namespaces, bridgeNames, notes),
    }));
  return {
    document: {
      schemaVersion: doc.schemaVersion,
      namespaces: doc.namespaces.map((ns) => namespacePart(ns, notes)),
      bridges,
      links,
    },
    notes,
  };
}

/** An end in a namespace keeps all but its effects; one on a bridge or in the root only its name. */
function endPart(
  end: EndpointSpec,
  namespaces: Set<string>,
  bridges: Set<string>,
  notes: string[],
): EndpointSpec {
  const where = `${end.node}:${end.ifname}`;
  if (end.effects) notes.push(`${where}: its link effects (delay, loss…) not in the file`);
  const { effects: _effects, ...rest } = end;
  if (namespaces.has(end.node)) return rest;
  const lost = [
    end.addresses.length > 0 && 'addresses',
    end.mtu !== undefined && 'MTU',
    end.mac && 'MAC',
    !end.up && 'down',
  ].filter(Boolean);
  if (lost.length > 0)
    notes.push(
      `${where}: its ${lost.join(', ')} not in the file (${bridges.has(end.node) ? 'a bridge port' : "in the lab's root"}: no exec runs there)`,
    );
  return { node: end.node, ifname: end.ifname, addresses: [], up: true };
}

/** A firewall rule goes into the file when iptables' words for it read back as the same rule. */
const ruleTravels = (rule: FirewallRule): boolean =>
  sortedJson(ruleFromArgs(rule.table, rule.chain, ruleArgs(rule))) === sortedJson(rule);

/** JSON with every object's keys in order: two values that mean the same compare equal. */
function sortedJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

function namespacePart(ns: NamespaceSpec, notes: string[]): NamespaceSpec {
  const rules = ns.firewall.rules.filter(ruleTravels);
  if (rules.length < ns.firewall.rules.length)
    notes.push(
      `${ns.name}: ${ns.firewall.rules.length - rules.length} firewall rules not in the file (not in iptables' own words)`,
    );
  return { ...ns, firewall: { ...ns.firewall, rules } };
}

/** The containerlab file: `text` (YAML), and what it could not hold. */
export function exportClab(doc: Topology, name: string): { text: string; notes: string[] } {
  const { document, notes } = clabPart(doc);
  const nodes: Record<string, unknown> = {};
  for (const ns of document.namespaces) {
    const exec = namespaceExec(ns, document.links);
    nodes[ns.name] = { kind: 'linux', ...labels(ns.position), ...(exec.length > 0 ? { exec } : {}) };
  }
  for (const br of document.bridges) nodes[br.name] = { kind: 'bridge', ...labels(br.position) };
  const links = document.links.map((l) => ({ endpoints: [endText(l.a), endText(l.b)] }));
  const file = {
    name,
    topology: {
      kinds: { linux: { image: CLAB_LINUX_IMAGE } },
      nodes,
      ...(links.length > 0 ? { links } : {}),
    },
  };
  const body = stringify(file, { lineWidth: 0 });
  return { text: `${HEADER.replace(/^/gm, '# ')}\n${body}`, notes };
}

const endText = (end: EndpointSpec): string => `${end.node === ROOT ? 'host' : end.node}:${end.ifname}`;

const labels = (position: { x: number; y: number } | undefined) =>
  position ? { labels: { 'graph-posX': String(position.x), 'graph-posY': String(position.y) } } : {};

/** The exec lines that make a namespace what the document says (clab-exec.ts reads them back). */
export function namespaceExec(ns: NamespaceSpec, links: Topology['links']): string[] {
  const lines: string[] = [];
  if (!ns.loUp) lines.push('ip link set dev lo down');
  for (const link of links)
    for (const end of [link.a, link.b]) {
      if (end.node !== ns.name) continue;
      if (end.mac) lines.push(`ip link set dev ${end.ifname} address ${end.mac}`);
      if (end.mtu !== undefined) lines.push(`ip link set dev ${end.ifname} mtu ${end.mtu}`);
      for (const cidr of end.addresses) lines.push(`ip addr add ${cidr} dev ${end.ifname}`);
      if (!end.up) lines.push(`ip link set dev ${end.ifname} down`);
    }
  for (const route of ns.routes) lines.push(routeLine(route));
  if (ns.forwarding) lines.push('sysctl -w net.ipv4.ip_forward=1');
  for (const chain of ns.firewall.chains) lines.push(`iptables -t ${chain.table} -N ${chain.name}`);
  for (const p of ns.firewall.policies) lines.push(`iptables -t ${p.table} -P ${p.chain} ${p.policy}`);
  for (const rule of ns.firewall.rules)
    lines.push(shellQuote(['iptables', '-t', rule.table, '-A', rule.chain, ...ruleArgs(rule)]));
  return lines;
}

function routeLine(route: RouteSpec): string {
  const words = ['ip', 'route', 'add', ...(route.type ? [route.type] : []), route.to];
  if (route.via !== undefined) words.push('via', route.via);
  if (route.dev !== undefined) words.push('dev', route.dev);
  if (route.metric !== undefined) words.push('metric', String(route.metric));
  return words.join(' ');
}
