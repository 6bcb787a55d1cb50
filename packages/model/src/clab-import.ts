import { readExecLine, type ExecAction } from './clab-exec';
import { ClabSource, clabPathText, shellWords, type ClabPath } from './clab-source';
import { interfaceNameProblem, namespaceNameProblem, ROOT } from './names';
import type { TopologyInput, Topology } from './topology';
import { validateTopology } from './validate';

/**
 * Reads a containerlab topology (`.clab.yml`) into a netcanvas document (issue 13 §6): nodes
 * become namespaces, `kind: bridge` nodes bridges in the lab's root, `links` veths (an end on a
 * bridge node is a port of it; `host:IF` an end in the lab's root). What containerlab runs and
 * netcanvas does not (images, startup configs, binds, the management network…) is left out with
 * a note. `exec:` lines that set addresses, link settings, routes, forwarding or iptables rules
 * (clab-exec.ts) are read into the document. Pure: nothing is spawned or fetched.
 */

export type ClabImport =
  { ok: true; document: Topology; notes: string[]; name: string | null } | { ok: false; errors: string[] };

const BRIDGE_KINDS = ['bridge', 'ovs-bridge'];
/** Endpoint "nodes" containerlab makes outside the lab (a macvlan on the host's NIC, its management bridge). */
const OUTSIDE_ENDPOINTS = ['mgmt-net', 'macvlan', 'macvtap'];
const MAX_ERRORS = 10;

const WHY_DROPPED: Record<string, string> = {
  image: 'netcanvas runs no containers: each node is a network namespace',
  'startup-config': "a node's own configuration is not run",
  binds: 'no files are mounted',
  cmd: 'no container command is run',
  env: 'no container runs to see them',
  'mgmt-ipv4': 'netcanvas makes no management network',
  'mgmt-ipv6': 'netcanvas makes no management network',
  ports: 'nothing is published on the host',
};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

interface End {
  node: string;
  ifname: string;
  addresses: string[];
  up?: boolean;
  mtu?: number;
  mac?: string;
}
interface Exec {
  node: string;
  path: ClabPath;
  line: string;
  action: ExecAction;
}

/** What is read, with where each part came from (so a problem found later names the file's line). */
class Reading {
  readonly errors: string[] = [];
  readonly notes: string[] = [];
  readonly namespaces: { name: string; position?: { x: number; y: number }; path: ClabPath }[] = [];
  readonly bridges: { name: string; position?: { x: number; y: number }; path: ClabPath }[] = [];
  readonly links: { a: End; b: End; path: ClabPath }[] = [];
  readonly execs: Exec[] = [];
  readonly kinds = new Map<string, string>();

  constructor(readonly source: ClabSource) {}

  error(path: ClabPath, message: string): void {
    this.errors.push(this.source.say(path, message));
  }
}

export function importClab(text: string): ClabImport {
  const source = new ClabSource(text);
  const syntax = source.syntaxErrors();
  if (syntax.length > 0) return { ok: false, errors: syntax.slice(0, MAX_ERRORS) };
  const raw: unknown = source.document.toJS();
  const reading = new Reading(source);
  const topology = readTop(reading, raw);
  if (topology) {
    readNodes(reading, topology);
    if (reading.errors.length === 0) readLinks(reading, topology.links);
    if (reading.errors.length === 0) readExecs(reading, topology);
  }
  if (reading.errors.length > 0) return { ok: false, errors: reading.errors.slice(0, MAX_ERRORS) };
  const assembled = assemble(reading);
  if (!assembled.ok) return { ok: false, errors: assembled.errors.slice(0, MAX_ERRORS) };
  const name = isObject(raw) && typeof raw.name === 'string' ? raw.name : null;
  return { ok: true, document: assembled.document, notes: reading.notes, name };
}

function readTop(reading: Reading, raw: unknown): Json | null {
  if (!isObject(raw)) {
    reading.error([], 'a containerlab topology is a mapping with `name` and `topology`');
    return null;
  }
  for (const key of Object.keys(raw))
    if (key === 'mgmt') reading.notes.push('mgmt: ignored: netcanvas makes no management network');
    else if (key !== 'name' && key !== 'topology') reading.notes.push(`${key}: ignored`);
  const topology = raw.topology;
  if (!isObject(topology)) {
    reading.error(['topology'], 'missing: the file needs `topology:` with `nodes:`');
    return null;
  }
  if (!isObject(topology.nodes)) {
    reading.error(['topology', 'nodes'], 'missing: `nodes:` maps each node name to its settings');
    return null;
  }
  for (const key of ['kinds', 'defaults', 'groups'])
    if (key in topology)
      reading.notes.push(`topology.${key}: read for each node's kind only; images and settings ignored`);
  for (const key of Object.keys(topology))
    if (!['nodes', 'links', 'kinds', 'defaults', 'groups'].includes(key))
      reading.notes.push(`topology.${key}: ignored`);
  return topology;
}

/** The node's kind, as containerlab resolves it: its own, its group's, the defaults'. */
function kindOf(topology: Json, spec: Json): string {
  const groups = isObject(topology.groups) ? topology.groups : {};
  const group = typeof spec.group === 'string' ? groups[spec.group] : undefined;
  const defaults = isObject(topology.defaults) ? topology.defaults : {};
  for (const from of [spec, group, defaults])
    if (isObject(from) && typeof from.kind === 'string') return from.kind;
  return 'linux';
}

function positionOf(spec: Json): { x: number; y: number } | undefined {
  const labels = isObject(spec.labels) ? spec.labels : {};
  const x = Number(labels['graph-posX']);
  const y = Number(labels['graph-posY']);
  return labels['graph-posX'] !== undefined && Number.isFinite(x) && Number.isFinite(y)
    ? { x, y }
    : undefined;
}

function readNodes(reading: Reading, topology: Json): void {
  const dropped = new Map<string, string[]>();
  const others = new Map<string, string[]>();
  for (const [name, value] of Object.entries(topology.nodes as Json)) {
    const path = ['topology', 'nodes', name];
    const spec = isObject(value) ? value : {};
    const kind = kindOf(topology, spec);
    reading.kinds.set(name, kind);
    const bridge = BRIDGE_KINDS.includes(kind);
    const why =
      name === ROOT
        ? `"${ROOT}" names the lab's root`
        : (bridge ? interfaceNameProblem : namespaceNameProblem)(name);
    if (why) reading.error(path, `the node's name ${why}`);
    const position = positionOf(spec);
    (bridge ? reading.bridges : reading.namespaces).push({ name, path, ...(position ? { position } : {}) });
    if (kind === 'ovs-bridge') reading.notes.push(`${name}: an Open vSwitch bridge becomes a Linux bridge`);
    if (!bridge && kind !== 'linux') others.set(kind, [...(others.get(kind) ?? []), name]);
    for (const key of Object.keys(spec))
      if (!['kind', 'labels', 'exec', 'group'].includes(key))
        dropped.set(key, [...(dropped.get(key) ?? []), name]);
    if (bridge && Array.isArray(spec.exec)) dropped.set('exec', [...(dropped.get('exec') ?? []), name]);
  }
  for (const [kind, names] of others)
    reading.notes.push(`${listed(names)} (kind ${kind}): plain namespaces; their network OS is not run`);
  for (const [key, names] of dropped)
    reading.notes.push(
      `${key} (${listed(names)}): ignored${WHY_DROPPED[key] ? `: ${WHY_DROPPED[key]}` : ''}`,
    );
}

const listed = (names: readonly string[]): string =>
  names.length <= 4 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;

function readLinks(reading: Reading, links: unknown): void {
  if (links === undefined || links === null) return;
  if (!Array.isArray(links)) return reading.error(['topology', 'links'], 'a list of links');
  links.forEach((item: unknown, i) => {
    const path = ['topology', 'links', i];
    if (!isObject(item)) return reading.error(path, 'a link is a mapping with `endpoints`');
    if (item.type !== undefined && item.type !== 'veth') {
      reading.notes.push(
        `${clabPathText(path)}: a ${String(item.type)} link is not a veth between two nodes; left out`,
      );
      return;
    }
    const endpoints = item.endpoints;
    if (!Array.isArray(endpoints) || endpoints.length !== 2)
      return reading.error([...path, 'endpoints'], 'two endpoints, e.g. ["r1:eth1", "r2:eth1"]');
    const ends = endpoints.map((e: unknown, j) => readEnd(reading, [...path, 'endpoints', j], e));
    const [a, b] = ends;
    if (a === 'outside' || b === 'outside') return;
    if (!a || !b) return;
    if (typeof item.mtu === 'number') a.mtu = b.mtu = item.mtu;
    reading.links.push({ a, b, path });
  });
}

function readEnd(reading: Reading, path: ClabPath, value: unknown): End | 'outside' | null {
  let node: unknown;
  let ifname: unknown;
  let mac: unknown;
  if (typeof value === 'string') [node, ifname] = value.includes(':') ? splitOnce(value) : [value, undefined];
  else if (isObject(value)) [node, ifname, mac] = [value.node, value.interface, value.mac];
  if (typeof node !== 'string' || typeof ifname !== 'string') {
    reading.error(path, `${JSON.stringify(value)} is not "node:interface"`);
    return null;
  }
  if (OUTSIDE_ENDPOINTS.includes(node)) {
    reading.notes.push(
      `${clabPathText(path.slice(0, -2))}: an end on ${node} is outside the lab; link left out`,
    );
    return 'outside';
  }
  if (node !== 'host' && !reading.kinds.has(node)) {
    reading.error(path, `"${node}" is not a node`);
    return null;
  }
  const why = interfaceNameProblem(ifname);
  if (why) {
    reading.error(path, `interface "${ifname}": ${why}`);
    return null;
  }
  return {
    node: node === 'host' ? ROOT : node,
    ifname,
    addresses: [],
    ...(typeof mac === 'string' ? { mac } : {}),
  };
}

function splitOnce(text: string): [string, string] {
  const at = text.indexOf(':');
  return [text.slice(0, at), text.slice(at + 1)];
}

function readExecs(reading: Reading, topology: Json): void {
  for (const ns of reading.namespaces) {
    const spec = (topology.nodes as Json)[ns.name];
    const lines = isObject(spec) ? spec.exec : undefined;
    if (lines === undefined) continue;
    if (!Array.isArray(lines)) {
      reading.error([...ns.path, 'exec'], 'a list of commands');
      continue;
    }
    lines.forEach((line: unknown, k) => {
      const path = [...ns.path, 'exec', k];
      const words = typeof line === 'string' ? shellWords(line) : null;
      const action = words ? readExecLine(words) : null;
      const missing = action ? missingTarget(reading, ns.name, action) : null;
      if (action && !missing) reading.execs.push({ node: ns.name, path, line: String(line), action });
      else
        reading.notes.push(
          `${clabPathText(path)}: ${JSON.stringify(line)} not run (${missing ?? EXEC_READ})`,
        );
    });
  }
}

const EXEC_READ = 'netcanvas reads ip addr/link/route, sysctl forwarding and iptables lines';

type Assembled = { ok: true; document: Topology } | { ok: false; errors: string[] };

/**
 * The document, validated. A problem that comes from an `exec:` line (a route through an
 * interface the lab does not link) drops that line with a note; any other is the file's error.
 */
function assemble(reading: Reading): Assembled {
  const dropped = new Set<Exec>();
  for (;;) {
    const { input, origins } = build(reading, dropped);
    const valid = validateTopology(input);
    if (valid.ok) return { ok: true, document: valid.value };
    const errors: string[] = [];
    let droppedMore = false;
    for (const issue of valid.issues) {
      const origin = originOf(origins, issue.path);
      if (origin && 'exec' in origin && !dropped.has(origin.exec)) {
        dropped.add(origin.exec);
        droppedMore = true;
        reading.notes.push(
          `${clabPathText(origin.exec.path)}: ${JSON.stringify(origin.exec.line)} left out: ${issue.message}`,
        );
      } else if (origin && 'path' in origin) errors.push(reading.source.say(origin.path, issue.message));
      else errors.push(`${issue.path}: ${issue.message}`);
    }
    if (errors.length > 0) return { ok: false, errors };
    if (!droppedMore) return { ok: false, errors: valid.issues.map((i) => `${i.path}: ${i.message}`) };
  }
}

type Origin = { path: ClabPath } | { exec: Exec };

function originOf(origins: Map<string, Origin>, path: string): Origin | undefined {
  for (let at = path.length; at > 0; at--) {
    if (at < path.length && path[at] !== '.' && path[at] !== '[') continue;
    const found = origins.get(path.slice(0, at));
    if (found) return found;
  }
  return undefined;
}

/** The document as read, without the dropped exec lines, and where each part came from. */
function build(
  reading: Reading,
  dropped: ReadonlySet<Exec>,
): { input: TopologyInput; origins: Map<string, Origin> } {
  const origins = new Map<string, Origin>();
  const namespaces: Building['namespaces'] = reading.namespaces.map((ns, i) => {
    origins.set(`namespaces[${i}]`, { path: ns.path });
    return {
      name: ns.name,
      ...(ns.position ? { position: ns.position } : {}),
      routes: [],
      firewall: { chains: [], policies: [], rules: [] },
    };
  });
  const bridges = reading.bridges.map((br, i) => {
    origins.set(`bridges[${i}]`, { path: br.path });
    return { name: br.name, ...(br.position ? { position: br.position } : {}) };
  });
  const links = reading.links.map((link, k) => {
    origins.set(`links[${k}]`, { path: link.path });
    origins.set(`links[${k}].a`, { path: [...link.path, 'endpoints', 0] });
    origins.set(`links[${k}].b`, { path: [...link.path, 'endpoints', 1] });
    return {
      a: { ...link.a, addresses: [...link.a.addresses] },
      b: { ...link.b, addresses: [...link.b.addresses] },
    };
  });
  for (const exec of reading.execs) if (!dropped.has(exec)) applyExec(exec, { namespaces, links }, origins);
  return { input: { schemaVersion: 1, namespaces, bridges, links } as TopologyInput, origins };
}

/** Why an exec line names an interface the node has no link for (containerlab's eth0, say), or null. */
function missingTarget(reading: Reading, node: string, action: ExecAction): string | null {
  if (action.kind !== 'address' && action.kind !== 'link') return null;
  if (
    action.kind === 'link' &&
    action.ifname === 'lo' &&
    action.mtu === undefined &&
    action.mac === undefined
  )
    return null;
  const linked = reading.links.some((l) =>
    [l.a, l.b].some((e) => e.node === node && e.ifname === action.ifname),
  );
  return linked ? null : `${action.ifname} is not on a link of ${node} in this file`;
}

interface Building {
  namespaces: (Json & {
    name: string;
    routes: Json[];
    firewall: { chains: Json[]; policies: Json[]; rules: Json[] };
  })[];
  links: { a: End; b: End }[];
}

/** An exec line's setting, put where the document holds it; its place remembered as the line's. */
function applyExec(exec: Exec, into: Building, origins: Map<string, Origin>): void {
  const i = into.namespaces.findIndex((n) => n.name === exec.node);
  const ns = into.namespaces[i];
  if (!ns) return;
  const at = (path: string) => origins.set(path, { exec });
  const { action } = exec;
  if (action.kind === 'route') at(`namespaces[${i}].routes[${ns.routes.push(action.route) - 1}]`);
  else if (action.kind === 'forwarding') ns.forwarding = action.on;
  else if (action.kind === 'rule')
    at(`namespaces[${i}].firewall.rules[${ns.firewall.rules.push(action.rule) - 1}]`);
  else if (action.kind === 'policy')
    at(
      `namespaces[${i}].firewall.policies[${ns.firewall.policies.push({ table: action.table, chain: action.chain, policy: action.policy }) - 1}]`,
    );
  else if (action.kind === 'chain')
    at(
      `namespaces[${i}].firewall.chains[${ns.firewall.chains.push({ table: action.table, name: action.name }) - 1}]`,
    );
  else if (action.kind === 'link' && action.ifname === 'lo') {
    if (action.up !== undefined) ns.loUp = action.up;
  } else applyToEnd(exec, action, into, at);
}

function applyToEnd(
  exec: Exec,
  action: Extract<ExecAction, { kind: 'address' | 'link' }>,
  into: Building,
  at: (path: string) => void,
): void {
  into.links.forEach((link, k) => {
    for (const side of ['a', 'b'] as const) {
      const end = link[side];
      if (end.node !== exec.node || end.ifname !== action.ifname) continue;
      const base = `links[${k}].${side}`;
      if (action.kind === 'address') at(`${base}.addresses[${end.addresses.push(action.cidr) - 1}]`);
      else {
        if (action.up !== undefined) end.up = action.up;
        if (action.mtu !== undefined) {
          end.mtu = action.mtu;
          at(`${base}.mtu`);
        }
        if (action.mac !== undefined) {
          end.mac = action.mac;
          at(`${base}.mac`);
        }
      }
    }
  });
}
