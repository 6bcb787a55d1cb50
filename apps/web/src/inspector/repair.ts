import {
  ROOT,
  applyEdits,
  rootFirewall,
  routeByHandText,
  routeMatches,
  routeStanding,
  routeText,
  type EditInput,
  type FirewallSpec,
  type ObservedInterface,
  type ObservedNamespace,
  type ObservedRoute,
  type ObservedState,
  type RouteSpec,
  type Topology,
} from '@netcanvas/model';
import { firewallDrift } from '../adapters/netfilter';
import { differenceReasons, interfaceDifferences, type Difference } from '../adapters/status';
import { plural } from '../lib/plural';
import { contextOf, lookupInterface } from './lookup';

/**
 * Drift as sentences, each with its two repairs (issue 11 §6). Pure: from the document and the
 * kernel's state the agent last sent.
 *
 * - **Make the kernel match** sends the topology's value again, as a converge (`converge: true`:
 *   an edit alone runs only what it changes, model `editSteps`, and leaves drift as it is): the
 *   agent makes the whole lab match the document, and the commands it runs reach the command log
 *   like any edit's. It changes no document, so it is not an undo step.
 * - **Take the kernel's value** is an edit of the topology to what the kernel has: the normal edit
 *   path, undoable. It is offered only when the model accepts it (otherwise, why not).
 */
export interface Repair {
  /** What it is about, for the buttons' names: "veth1 state", "route 10.0.2.0/24 in ns1". */
  subject: string;
  /** "The kernel has veth1 down; the topology wants it up." */
  sentence: string;
  makeKernelMatch: EditInput[];
  takeKernel: { edits: EditInput[]; removes: boolean } | { why: string };
}

/** What is repaired, plus differences no button repairs (made by hand: adopt does it). */
export interface Repairs {
  repairs: Repair[];
  other: string[];
}

const NONE: Repairs = { repairs: [], other: [] };
const onOff = (on: boolean) => (on ? 'on' : 'off');
const upDown = (up: boolean) => (up ? 'up' : 'down');
const where = (context: string) => (context === ROOT ? 'the lab’s root' : context);
const listed = (items: readonly string[], none: string) =>
  items.length === 0
    ? none
    : items.length === 1
      ? items[0]!
      : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`;

/** The kernel's value taken, if the model accepts the resulting document; otherwise its words. */
function checked(doc: Topology, edits: EditInput[], removes = false): Repair['takeKernel'] {
  const result = applyEdits(doc, edits);
  if (result.ok) return { edits, removes };
  return { why: `the topology cannot hold it: ${result.issues.map((i) => i.message).join('; ')}` };
}

/** An interface's settings as an edit: a veth end's (`setInterface`) or a bridge's (`setBridge`). */
type Setter = (fields: Record<string, unknown>) => EditInput;

interface Target {
  ifname: string;
  context: string;
  set: Setter;
  /** The edit that removes it from the topology (what "take the kernel's value" is for one the kernel lacks). */
  remove: EditInput;
  /** The topology's up/down, re-stated to converge anything (its master, its being there). */
  up: boolean;
  addresses: readonly string[];
}

function sentence(t: Target, d: Difference): string {
  const n = t.ifname;
  switch (d.kind) {
    case 'missing':
      return `The kernel has no ${n} in ${where(t.context)}; the topology wants it.`;
    case 'up':
      return `The kernel has ${n} ${upDown(!d.want)}; the topology wants it ${upDown(d.want)}.`;
    case 'addresses':
      return `The kernel has ${n} with ${listed(d.have, 'no address')}; the topology wants ${listed(d.want, 'none')}.`;
    case 'mtu':
      return `The kernel has ${n} at MTU ${d.have}; the topology wants ${d.want}.`;
    case 'mac':
      return `The kernel has ${n} with MAC ${d.have ?? 'none'}; the topology wants ${d.want}.`;
    case 'master':
      return `The kernel has ${n} ${d.have === null ? 'on no bridge' : `as a port of ${d.have}`}; the topology wants it ${d.want === null ? 'on no bridge' : `as a port of ${d.want}`}.`;
    case 'stp':
      return `The kernel has ${n} with STP ${onOff(d.have)}; the topology wants it ${onOff(d.want)}.`;
    case 'unmanaged':
      return '';
  }
}

const SUBJECT: Record<Difference['kind'], string> = {
  missing: '',
  up: ' state',
  addresses: ' addresses',
  mtu: ' MTU',
  mac: ' MAC',
  master: ' bridge',
  stp: ' STP',
  unmanaged: '',
};

function repairOf(doc: Topology, t: Target, d: Difference): Repair {
  const base = { subject: `${t.ifname}${SUBJECT[d.kind]}`, sentence: sentence(t, d) };
  switch (d.kind) {
    case 'missing':
      return { ...base, makeKernelMatch: [t.set({ up: t.up })], takeKernel: checked(doc, [t.remove], true) };
    case 'up':
      return {
        ...base,
        makeKernelMatch: [t.set({ up: d.want })],
        takeKernel: checked(doc, [t.set({ up: !d.want })]),
      };
    case 'addresses':
      return {
        ...base,
        makeKernelMatch: [t.set({ addresses: [...t.addresses] })],
        takeKernel: checked(doc, [t.set({ addresses: [...d.have] })]),
      };
    case 'mtu':
      return {
        ...base,
        makeKernelMatch: [t.set({ mtu: d.want })],
        takeKernel: checked(doc, [t.set({ mtu: d.have })]),
      };
    case 'mac':
      return {
        ...base,
        makeKernelMatch: [t.set({ mac: d.want })],
        takeKernel: d.have ? checked(doc, [t.set({ mac: d.have })]) : { why: 'the kernel reports no MAC' },
      };
    case 'master':
      return {
        ...base,
        makeKernelMatch: [t.set({ up: t.up })],
        takeKernel: {
          why: 'the topology puts an end on a bridge by where the veth is drawn: delete it and connect it again',
        },
      };
    case 'stp':
      return {
        ...base,
        makeKernelMatch: [t.set({ stp: d.want })],
        takeKernel: checked(doc, [t.set({ stp: d.have })]),
      };
    case 'unmanaged':
      throw new Error('made by hand: adopt repairs it');
  }
}

function repairsOf(doc: Topology, t: Target, differences: Difference[]): Repairs {
  const repairs: Repair[] = [];
  const other: string[] = [];
  for (const d of differences)
    if (d.kind === 'unmanaged') other.push(...differenceReasons(d));
    else repairs.push(repairOf(doc, t, d));
  return { repairs, other };
}

/** A veth end of the document (an interface in a namespace, or a bridge's port). */
export function endRepairs(
  doc: Topology,
  observed: ObservedState | null,
  node: string,
  ifname: string,
): Repairs {
  const look = lookupInterface(doc, observed, node, ifname);
  if (!observed || !look.end) return NONE;
  // Inside a namespace the kernel lacks, the namespace's own repair says it all.
  if (!observed.namespaces.some((n) => n.name === look.context)) return NONE;
  const end = look.end;
  const master = doc.bridges.some((b) => b.name === node) ? node : null;
  const target: Target = {
    ifname,
    context: look.context,
    set: (fields) => ({ type: 'setInterface', node, ifname, ...fields }) as EditInput,
    remove: { type: 'disconnect', node, ifname },
    up: end.up,
    addresses: end.addresses,
  };
  return repairsOf(doc, target, interfaceDifferences({ ...end, master }, look.observed));
}

/** A bridge of the document. */
export function bridgeRepairs(doc: Topology, observed: ObservedState | null, name: string): Repairs {
  const br = doc.bridges.find((b) => b.name === name);
  if (!observed || !br) return NONE;
  const context = contextOf(doc, name);
  const ns = observed.namespaces.find((n) => n.name === context);
  if (!ns) return NONE;
  const target: Target = {
    ifname: name,
    context,
    set: (fields) => ({ type: 'setBridge', name, ...fields }) as EditInput,
    remove: { type: 'removeBridge', name },
    up: br.up,
    addresses: br.addresses,
  };
  const o = ns.interfaces.find((i) => i.ifname === name);
  return repairsOf(doc, target, interfaceDifferences(br, o));
}

type NamespaceSpec = Topology['namespaces'][number];

const setNs = (name: string, fields: Record<string, unknown>): EditInput =>
  ({ type: 'setNamespace', name, ...fields }) as EditInput;

/** A namespace's loopback: `loUp` against the kernel's lo. */
export function loRepairs(doc: Topology, spec: NamespaceSpec, lo: ObservedInterface | undefined): Repair[] {
  if (!lo || lo.up === spec.loUp) return [];
  return [
    {
      subject: `lo in ${spec.name}`,
      sentence: `The kernel has lo ${upDown(lo.up)} in ${spec.name}; the topology wants it ${upDown(spec.loUp)}.`,
      makeKernelMatch: [setNs(spec.name, { loUp: spec.loUp })],
      takeKernel: checked(doc, [setNs(spec.name, { loUp: lo.up })]),
    },
  ];
}

/** A route the lab made, as the document writes it. */
const routeSpecOf = (r: ObservedRoute) => ({
  ...(r.type ? { type: r.type } : {}),
  to: r.to,
  ...(r.via ? { via: r.via } : {}),
  ...(r.dev ? { dev: r.dev } : {}),
  ...(r.metric !== null && r.metric !== 0 ? { metric: r.metric } : {}),
});

/**
 * A route of the document the kernel does not hold as the lab's: missing, or at its key made by
 * hand (routeStanding), which is one repair, not a missing route beside one made by hand. The
 * same route made by hand is taken back by the converge (`ip route replace … proto 203`). One
 * changed by hand can be taken into the topology, and then is taken back the same way; or the
 * topology's put back by the converge, which a person asked for (plan-routes `takeBack`; an edit
 * alone replaces no route made by hand with other words).
 */
function declaredRouteRepair(
  doc: Topology,
  spec: NamespaceSpec,
  want: RouteSpec,
  routes: readonly ObservedRoute[],
): Repair[] {
  const name = spec.name;
  const standing = routeStanding(want, routes);
  if (standing.kind === 'held') return [];
  const base = {
    subject: `route ${routeText(want)} in ${name}`,
    makeKernelMatch: [setNs(name, { routes: spec.routes })],
  };
  const routesWith = (r: RouteSpec | null) =>
    setNs(name, { routes: spec.routes.flatMap((x) => (x !== want ? [x] : r ? [r] : [])) });
  switch (standing.kind) {
    case 'missing':
      return [
        {
          ...base,
          sentence: `The kernel has no route ${routeText(want)} in ${name}; the topology wants it.`,
          takeKernel: checked(doc, [routesWith(null)]),
        },
      ];
    case 'byHand':
      return [
        {
          ...base,
          sentence: `The kernel has ${routeByHandText(want, standing)} in ${name}; the topology wants it as the lab’s.`,
          takeKernel: { why: 'the topology has this route already; only who made it differs' },
        },
      ];
    case 'changedByHand':
      return [
        {
          ...base,
          sentence: `In ${name}, ${routeByHandText(want, standing)}; the topology wants ${routeText(want)}.`,
          takeKernel: checked(doc, [routesWith(routeSpecOf(standing.have))]),
        },
      ];
  }
}

function routeRepairs(doc: Topology, spec: NamespaceSpec, o: ObservedNamespace): Repair[] {
  if (!o.routes) return [];
  const name = spec.name;
  const putBack = [setNs(name, { routes: spec.routes })];
  const out: Repair[] = [];
  for (const want of spec.routes) out.push(...declaredRouteRepair(doc, spec, want, o.routes));
  for (const have of o.routes)
    if (have.managed && !spec.routes.some((want) => routeMatches(want, have)))
      out.push({
        subject: `route ${routeText(have)} in ${name}`,
        sentence: `The kernel has the lab’s route ${routeText(have)} in ${name}; the topology does not.`,
        makeKernelMatch: putBack,
        takeKernel: checked(doc, [setNs(name, { routes: [...spec.routes, routeSpecOf(have)] })]),
      });
  return out;
}

/** A namespace of the document: there at all, lo, forwarding, routes, firewall. */
export function namespaceRepairs(doc: Topology, observed: ObservedState | null, name: string): Repair[] {
  const spec = doc.namespaces.find((n) => n.name === name);
  if (!observed || !spec) return [];
  const o = observed.namespaces.find((n) => n.name === name);
  if (!o) {
    const veths = doc.links.filter((l) => [l.a.node, l.b.node].includes(name)).length;
    return [
      {
        subject: `namespace ${name}`,
        sentence: `The kernel has no namespace ${name}; the topology wants it${veths > 0 ? `, with ${plural(veths, 'veth')}` : ''}.`,
        makeKernelMatch: [setNs(name, { loUp: spec.loUp })],
        takeKernel: checked(doc, [{ type: 'removeNamespace', name }], true),
      },
    ];
  }
  // Made by hand: adopting it is the repair (the namespace's own section offers it).
  if (!o.managed) return [];
  const out = loRepairs(
    doc,
    spec,
    o.interfaces.find((i) => i.ifname === 'lo'),
  );
  if (o.forwarding !== undefined && o.forwarding !== spec.forwarding)
    out.push({
      subject: `forwarding in ${name}`,
      sentence: `The kernel has forwarding ${onOff(o.forwarding)} in ${name}; the topology wants it ${onOff(spec.forwarding)}.`,
      makeKernelMatch: [setNs(name, { forwarding: spec.forwarding })],
      takeKernel: checked(doc, [setNs(name, { forwarding: o.forwarding })]),
    });
  out.push(...routeRepairs(doc, spec, o), ...firewallRepairs(name, spec.firewall, o));
  return out;
}

/** A firewall (a namespace's, or the lab's root's) against the kernel's: put back, never taken. */
function firewallRepairs(name: string, firewall: FirewallSpec, o: ObservedNamespace): Repair[] {
  const drift = firewallDrift(firewall, o.firewall);
  if (drift.length === 0) return [];
  return [
    {
      subject: `firewall of ${where(name)}`,
      sentence: `The kernel’s firewall in ${where(name)} differs from the topology: ${drift.join('; ')}.`,
      makeKernelMatch: [setNs(name, { firewall })],
      takeKernel: {
        why: 'rules made by hand are adopted in the firewall section; the topology’s own rules can only be put back',
      },
    },
  ];
}

/** The lab's root: only its firewall is the document's. */
export function rootRepairs(doc: Topology, observed: ObservedState | null): Repair[] {
  const o = observed?.namespaces.find((n) => n.name === ROOT);
  return o ? firewallRepairs(ROOT, rootFirewall(doc), o) : [];
}
