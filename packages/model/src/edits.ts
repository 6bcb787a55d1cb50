import { z } from 'zod';
import { CidrText } from './address';
import { formatPath, issuesFromZod, type Validated, type ValidationIssue } from './issues';
import { InterfaceName, Mac, Mtu, NamespaceName, NodeName, ROOT } from './names';
import { endpointPlacement } from './resolve';
import {
  BridgeSpec,
  LIMITS,
  LinkSpec,
  NamespaceSpec,
  Position,
  isEmptyFirewall,
  type EndpointSpec,
  type Topology,
} from './topology';
import { validateEdited } from './validate';
import { FirewallSpec } from './firewall';
import { describeFirewallChange } from './firewall-change-words';
import { RouteSpec, describeRouteChanges } from './routing';
import { LinkEffects, effectsLabel, normalEffects } from './link-effects';
import { AdoptEdit, RemoveHandRuleEdit, describeAdopt, describeRemoveHandRule } from './adopt-edit';

/**
 * Edits are data (like React Flow's NodeChange): a client sends one, the agent checks it, applies it
 * to the desired document with `applyEdit`, and only then plans kernel steps. Pure: the same edit on
 * the same document gives the same result in the browser and in the agent.
 */

const AddressList = z.array(CidrText).max(LIMITS.addressesPerInterface);

export const Edit = z.discriminatedUnion('type', [
  // Adding reuses the document's own specs, so an added object gets exactly the document's defaults.
  NamespaceSpec.extend({ type: z.literal('addNamespace') }),
  z.object({ type: z.literal('removeNamespace'), name: NamespaceName }).strict(),
  BridgeSpec.extend({ type: z.literal('addBridge') }),
  z.object({ type: z.literal('removeBridge'), name: InterfaceName }).strict(),
  LinkSpec.extend({ type: z.literal('connect') }),
  z.object({ type: z.literal('disconnect'), node: NodeName, ifname: InterfaceName }).strict(),
  z
    .object({
      type: z.literal('setInterface'),
      node: NodeName,
      ifname: InterfaceName,
      addresses: AddressList.optional(),
      up: z.boolean().optional(),
      // null clears the setting, so the kernel's default applies again; undefined leaves it alone.
      mtu: Mtu.nullable().optional(),
      mac: Mac.nullable().optional(),
      // The end's effects, whole (null or all zero: none).
      effects: LinkEffects.nullable().optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('setNamespace'),
      // A namespace, or "root": the lab's root, whose firewall only is the document's.
      name: NodeName,
      loUp: z.boolean().optional(),
      forwarding: z.boolean().optional(),
      routes: z.array(RouteSpec).max(256).optional(),
      firewall: FirewallSpec.optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('setBridge'),
      name: InterfaceName,
      up: z.boolean().optional(),
      stp: z.boolean().optional(),
      mtu: Mtu.nullable().optional(),
      mac: Mac.nullable().optional(),
      addresses: AddressList.optional(),
    })
    .strict(),
  // null forgets where a person put the node (the layout places it again): the undo of a first move.
  z.object({ type: z.literal('setPosition'), node: NodeName, position: Position.nullable() }).strict(),
  // Takes what was made by hand into the document (resolved against the kernel by `expandAdopt`),
  // or deletes one iptables rule made by hand (changes no document): see adopt-edit.ts.
  AdoptEdit,
  RemoveHandRuleEdit,
]);
/** An edit after parsing: defaults filled in, addresses and MACs canonical. */
export type Edit = z.infer<typeof Edit>;
/** An edit as a client writes it, before defaults. */
export type EditInput = z.input<typeof Edit>;
export type EditType = Edit['type'];

/** Applies one edit (an `Edit`, or untrusted input, which is parsed first) and validates the result. */
export function applyEdit(doc: Topology, edit: unknown): Validated<Topology> {
  return applyAll(doc, [edit], () => ['edit']);
}

/**
 * Applies edits in order, all or nothing. Each edit's shape and references are checked as it
 * comes; the whole document is validated once, at the end, so a batch may pass through states
 * that are not valid on their own (add a namespace with a route, then the link its gateway is on).
 */
export function applyEdits(doc: Topology, edits: readonly unknown[]): Validated<Topology> {
  return applyAll(doc, edits, (i) => ['edits', i]);
}

function applyAll(
  doc: Topology,
  edits: readonly unknown[],
  at: (i: number) => PropertyKey[],
): Validated<Topology> {
  // The document's lists are copied, its objects shared until an edit changes one (`change`
  // copies it first): the result is checked by what differs (validate-edited.ts).
  let current = copyLists(doc);
  const targets: (string | undefined)[] = [];
  for (const [i, input] of edits.entries()) {
    const parsed = Edit.safeParse(input);
    if (!parsed.success) return { ok: false, issues: issuesFromZod(parsed.error, at(i)) };
    const changed = change(current, parsed.data);
    if ('issues' in changed)
      return {
        ok: false,
        issues: changed.issues.map((issue) => ({
          path: formatPath([...at(i), ...issue.key]),
          message: issue.message,
        })),
      };
    current = changed.doc;
    targets.push(changed.target);
  }
  const result = validateEdited(doc, current);
  if (result.ok) return result;
  // Issues about an object an edit added or changed point at that edit, where the user typed it.
  const issues: ValidationIssue[] = result.issues.map((issue) => {
    for (let i = targets.length - 1; i >= 0; i--) {
      const target = targets[i];
      if (target === undefined) continue;
      if (issue.path === target || issue.path.startsWith(`${target}.`) || issue.path.startsWith(`${target}[`))
        return { ...issue, path: formatPath(at(i)) + issue.path.slice(target.length) };
    }
    return issue;
  });
  return { ok: false, issues };
}

/**
 * The document after one parsed edit, its references checked but the whole not validated: a step
 * inside a batch (which `applyEdits` validates once, at its end). Null when a reference is missing.
 */
export function applyEditUnchecked(doc: Topology, edit: Edit): Topology | null {
  const changed = change(copyLists(doc), edit);
  return 'issues' in changed ? null : changed.doc;
}

/**
 * A document whose lists are its own and whose objects are `doc`'s: `change` may push, filter and
 * replace items, and copies an object before it changes one of its fields. Nothing of `doc` is
 * changed, and what no edit touches stays the same object (so a check can skip it).
 */
function copyLists(doc: Topology): Topology {
  return { ...doc, namespaces: [...doc.namespaces], bridges: [...doc.bridges], links: [...doc.links] };
}

type Changed = { doc: Topology; target?: string } | { issues: { key: PropertyKey[]; message: string }[] };

/**
 * Changes `doc` (its lists private, its objects shared: `copyLists`) in place, copying an object
 * before it changes one; reports references that do not resolve.
 */
function change(doc: Topology, edit: Edit): Changed {
  const refused = (key: PropertyKey[], message: string): Changed => ({ issues: [{ key, message }] });
  const nsIndex = (name: string) => doc.namespaces.findIndex((ns) => ns.name === name);
  const brIndex = (name: string) => doc.bridges.findIndex((br) => br.name === name);
  const taken = (name: string) =>
    nsIndex(name) >= 0 ? 'a namespace' : brIndex(name) >= 0 ? 'a bridge' : undefined;
  // Namespaces and bridges share one name space: link endpoints name either.
  const refuseTaken = (name: string): Changed | undefined => {
    const by = taken(name);
    return by ? refused(['name'], `${by} named "${name}" already exists`) : undefined;
  };
  const dropLinksOn = (nodes: Set<string>) => {
    doc.links = doc.links.filter((l) => !nodes.has(l.a.node) && !nodes.has(l.b.node));
  };

  switch (edit.type) {
    case 'addNamespace': {
      const no = refuseTaken(edit.name);
      if (no) return no;
      const { type: _type, ...spec } = edit;
      doc.namespaces.push(spec);
      return { doc, target: `namespaces[${doc.namespaces.length - 1}]` };
    }
    case 'removeNamespace': {
      if (nsIndex(edit.name) < 0) return refused(['name'], `no namespace named "${edit.name}"`);
      // A bridge lives inside its namespace, so it goes too, and every link on either.
      const gone = new Set([
        edit.name,
        ...doc.bridges.filter((b) => b.namespace === edit.name).map((b) => b.name),
      ]);
      doc.namespaces = doc.namespaces.filter((ns) => ns.name !== edit.name);
      doc.bridges = doc.bridges.filter((br) => !gone.has(br.name));
      dropLinksOn(gone);
      return { doc };
    }
    case 'addBridge': {
      const no = refuseTaken(edit.name);
      if (no) return no;
      if (edit.namespace !== undefined && nsIndex(edit.namespace) < 0)
        return refused(['namespace'], `no namespace named "${edit.namespace}"`);
      const { type: _type, ...spec } = edit;
      doc.bridges.push(spec);
      return { doc, target: `bridges[${doc.bridges.length - 1}]` };
    }
    case 'removeBridge': {
      if (brIndex(edit.name) < 0) return refused(['name'], `no bridge named "${edit.name}"`);
      doc.bridges = doc.bridges.filter((br) => br.name !== edit.name);
      dropLinksOn(new Set([edit.name]));
      return { doc };
    }
    case 'connect': {
      for (const side of ['a', 'b'] as const)
        if (!endpointPlacement(doc, edit[side].node))
          return refused([side, 'node'], `no namespace or bridge named "${edit[side].node}"`);
      doc.links.push({ a: edit.a, b: edit.b });
      return { doc, target: `links[${doc.links.length - 1}]` };
    }
    case 'disconnect':
    case 'setInterface': {
      if (!endpointPlacement(doc, edit.node))
        return refused(['node'], `no namespace or bridge named "${edit.node}"`);
      const found = findEnd(doc, edit.node, edit.ifname);
      if (!found) return refused(['ifname'], `no veth end "${edit.ifname}" on "${edit.node}"`);
      if (edit.type === 'disconnect') {
        doc.links.splice(found.index, 1);
        return { doc };
      }
      const link = { ...doc.links[found.index]! };
      const end = { ...found.end };
      link[found.side] = end;
      doc.links[found.index] = link;
      if (edit.addresses !== undefined) end.addresses = edit.addresses;
      if (edit.up !== undefined) end.up = edit.up;
      if (edit.mtu === null) delete end.mtu;
      else if (edit.mtu !== undefined) end.mtu = edit.mtu;
      if (edit.mac === null) delete end.mac;
      else if (edit.mac !== undefined) end.mac = edit.mac;
      if (edit.effects !== undefined) setEffects(end, edit.effects);
      return { doc, target: `links[${found.index}].${found.side}` };
    }
    case 'setNamespace': {
      if (edit.name === ROOT) return setRoot(doc, edit);
      const i = nsIndex(edit.name);
      if (i < 0) return refused(['name'], `no namespace named "${edit.name}"`);
      const ns = { ...doc.namespaces[i]! };
      doc.namespaces[i] = ns;
      if (edit.loUp !== undefined) ns.loUp = edit.loUp;
      if (edit.forwarding !== undefined) ns.forwarding = edit.forwarding;
      if (edit.routes !== undefined) ns.routes = edit.routes;
      if (edit.firewall !== undefined) ns.firewall = edit.firewall;
      return { doc, target: `namespaces[${i}]` };
    }
    case 'setBridge': {
      const i = brIndex(edit.name);
      if (i < 0) return refused(['name'], `no bridge named "${edit.name}"`);
      const br = { ...doc.bridges[i]! };
      doc.bridges[i] = br;
      if (edit.up !== undefined) br.up = edit.up;
      if (edit.stp !== undefined) br.stp = edit.stp;
      if (edit.mtu === null) delete br.mtu;
      else if (edit.mtu !== undefined) br.mtu = edit.mtu;
      if (edit.mac === null) delete br.mac;
      else if (edit.mac !== undefined) br.mac = edit.mac;
      if (edit.addresses !== undefined) br.addresses = edit.addresses;
      return { doc, target: `bridges[${i}]` };
    }
    case 'adopt':
      return refused([], "adopt is resolved against the kernel's state (expandAdopt) before it is applied");
    case 'removeHandRule':
      // The kernel's business only: the document holds no rule made by hand.
      return { doc };
    case 'setPosition': {
      // Layout only: it changes the picture every viewer sees, never the kernel.
      if (edit.node === ROOT) {
        if (edit.position) doc.rootPosition = edit.position;
        else delete doc.rootPosition;
        return { doc };
      }
      const placed = <T extends { name: string; position?: Position }>(list: T[]): boolean => {
        const i = list.findIndex((x) => x.name === edit.node);
        if (i < 0) return false;
        const moved = { ...list[i]! };
        if (edit.position === null) delete moved.position;
        else moved.position = edit.position;
        list[i] = moved;
        return true;
      };
      if (!placed(doc.namespaces) && !placed(doc.bridges))
        return refused(['node'], `no namespace or bridge named "${edit.node}"`);
      return { doc };
    }
  }
}

/** The lab's root takes its firewall from the document; the rest is the sandbox's (or the machine's). */
function setRoot(doc: Topology, edit: Extract<Edit, { type: 'setNamespace' }>): Changed {
  const refusals = {
    loUp: "the lab's root keeps its lo as the sandbox has it",
    forwarding: "the lab's root forwards as the sandbox has it; forwarding is set per namespace",
    routes: "the document holds the routes of named namespaces only, not the lab's root",
  } as const;
  for (const key of Object.keys(refusals) as (keyof typeof refusals)[])
    if (edit[key] !== undefined) return { issues: [{ key: [key], message: refusals[key] }] };
  if (edit.firewall === undefined) return { doc };
  // An empty root is not written: documents stay as small as before the root had a firewall.
  if (isEmptyFirewall(edit.firewall)) delete doc.root;
  else doc.root = { firewall: edit.firewall };
  return { doc, target: 'root' };
}

function findEnd(
  doc: Topology,
  node: string,
  ifname: string,
): { index: number; side: 'a' | 'b'; end: EndpointSpec } | undefined {
  for (const [index, link] of doc.links.entries())
    for (const side of ['a', 'b'] as const)
      if (link[side].node === node && link[side].ifname === ifname) return { index, side, end: link[side] };
  return undefined;
}

/** A short sentence for the command log and undo menu: "connect ns0:veth0 to ns1:veth1". */
/**
 * The edit in words. Given the document it applies to, a change of routes says which route
 * changed how (`change route 10.0.2.0/24 via 10.0.1.254 → via 10.0.1.1`), not only how many.
 */
export function describeEdit(edit: Edit, before?: Topology): string {
  const settings = (parts: (string | false)[]) => {
    const list = parts.filter((p): p is string => p !== false);
    return list.length > 0 ? ` (${list.join(', ')})` : '';
  };
  const onOff = (v: boolean | undefined, what: string) => v !== undefined && `${what} ${v ? 'on' : 'off'}`;
  const upDown = (v: boolean | undefined) => v !== undefined && (v ? 'up' : 'down');
  const mtu = (v: number | null | undefined) => v !== undefined && (v === null ? 'default mtu' : `mtu ${v}`);
  const macText = (v: string | null | undefined) =>
    v !== undefined && (v === null ? 'default mac' : `mac ${v}`);
  const addrs = (v: string[] | undefined) =>
    v !== undefined && (v.length > 0 ? `addresses ${v.join(' ')}` : 'no addresses');
  switch (edit.type) {
    case 'addNamespace':
      return `add namespace ${edit.name}`;
    case 'removeNamespace':
      return `remove namespace ${edit.name}`;
    case 'addBridge':
      return `add bridge ${edit.name}${edit.namespace !== undefined ? ` in namespace ${edit.namespace}` : ''}`;
    case 'removeBridge':
      return `remove bridge ${edit.name}`;
    case 'connect':
      return `connect ${edit.a.node}:${edit.a.ifname} to ${edit.b.node}:${edit.b.ifname}`;
    case 'disconnect':
      return `disconnect ${edit.node}:${edit.ifname}`;
    case 'setInterface':
      return `set ${edit.node}:${edit.ifname}${settings([addrs(edit.addresses), upDown(edit.up), mtu(edit.mtu), macText(edit.mac), effectsText(edit.effects)])}`;
    case 'setNamespace':
      if (edit.name === ROOT)
        return `set the lab's root${settings([
          edit.firewall !== undefined &&
            describeFirewallChange(edit.firewall, before && (before.root?.firewall ?? EMPTY)),
        ])}`;
      return `set namespace ${edit.name}${settings([
        edit.loUp !== undefined && `lo ${edit.loUp ? 'up' : 'down'}`,
        onOff(edit.forwarding, 'forwarding'),
        edit.routes !== undefined && routesChanged(edit.name, edit.routes, before),
        edit.firewall !== undefined &&
          describeFirewallChange(
            edit.firewall,
            before && (before.namespaces.find((ns) => ns.name === edit.name)?.firewall ?? EMPTY),
          ),
      ])}`;
    case 'setBridge':
      return `set bridge ${edit.name}${settings([addrs(edit.addresses), upDown(edit.up), onOff(edit.stp, 'stp'), mtu(edit.mtu), macText(edit.mac)])}`;
    case 'adopt':
      return describeAdopt(edit);
    case 'removeHandRule':
      return describeRemoveHandRule(edit);
    case 'setPosition':
      if (edit.position === null) return `let the layout place ${edit.node}`;
      return `move ${edit.node} to (${Math.round(edit.position.x)}, ${Math.round(edit.position.y)})`;
  }
}

const effectsText = (e: LinkEffects | null | undefined) =>
  e !== undefined && (normalEffects(e) ? `effects ${effectsLabel(normalEffects(e))}` : 'no effects');

/** A namespace without a firewall in the document asks nothing of the kernel's. */
const EMPTY: FirewallSpec = { chains: [], policies: [], rules: [] };

/** `change route …; add route …`, or `N routes` without the document they change. */
function routesChanged(name: string, routes: readonly RouteSpec[], before: Topology | undefined): string {
  const was = before?.namespaces.find((ns) => ns.name === name)?.routes;
  const phrases = was === undefined ? [] : describeRouteChanges(was, routes);
  return phrases.length > 0
    ? phrases.join('; ')
    : `${routes.length} ${routes.length === 1 ? 'route' : 'routes'}`;
}

/** An end's effects set whole; none (null, or every field zero) leaves no `effects` key. */
function setEffects(end: EndpointSpec, effects: LinkEffects | null): void {
  const kept = normalEffects(effects);
  if (kept) end.effects = kept;
  else delete end.effects;
}
