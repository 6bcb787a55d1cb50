import { applyEditUnchecked, type Edit } from './edits';
import { ROOT } from './names';
import { rootFirewall, type LinkSpec, type Topology } from './topology';

/**
 * Undo as edits: the inverse of an edit is computed from the document it applied to, and goes to
 * the agent like any edit (planned, applied on the kernel, logged). The inverse puts back what the
 * edit changed, by value (the old addresses, the old spec), never "minus one step", so it still
 * means the same after unrelated edits by others. `undo-keys.ts` tells when it no longer does.
 */

export type Inverse = { ok: true; edits: Edit[] } | { ok: false; reason: string };

/** Edits that cannot be undone, and why, in a sentence the UI shows. */
export const NOT_UNDOABLE = {
  adopt:
    'adopting marks objects the kernel already had as the lab’s; undoing it would delete them from the kernel, not give them back (delete them on purpose instead)',
  removeHandRule:
    'a rule made by hand is not in the topology, so netcanvas cannot make it again (its words are in the command log)',
} as const satisfies Partial<Record<Edit['type'], string>>;

/** The edits that undo `edit`, applied to `before` (the document it was applied to). */
export function inverseEdits(before: Topology, edit: Edit): Inverse {
  const ok = (edits: Edit[]): Inverse => ({ ok: true, edits });
  const missing = (what: string): Inverse => ({ ok: false, reason: `${what} is not in the topology` });
  const linksOn = (nodes: ReadonlySet<string>) =>
    before.links.filter((l) => nodes.has(l.a.node) || nodes.has(l.b.node)).map(connectOf);
  switch (edit.type) {
    case 'addNamespace':
      return ok([{ type: 'removeNamespace', name: edit.name }]);
    case 'addBridge':
      return ok([{ type: 'removeBridge', name: edit.name }]);
    case 'removeNamespace': {
      const ns = before.namespaces.find((n) => n.name === edit.name);
      if (!ns) return missing(`namespace ${edit.name}`);
      // Its bridges and every link on either went with it: all of them come back, in one batch.
      const inside = before.bridges.filter((b) => b.namespace === edit.name);
      return ok([
        { type: 'addNamespace', ...structuredClone(ns) },
        ...inside.map((b): Edit => ({ type: 'addBridge', ...structuredClone(b) })),
        ...linksOn(new Set([edit.name, ...inside.map((b) => b.name)])),
      ]);
    }
    case 'removeBridge': {
      const br = before.bridges.find((b) => b.name === edit.name);
      if (!br) return missing(`bridge ${edit.name}`);
      return ok([{ type: 'addBridge', ...structuredClone(br) }, ...linksOn(new Set([edit.name]))]);
    }
    case 'connect':
      return ok([{ type: 'disconnect', node: edit.a.node, ifname: edit.a.ifname }]);
    case 'disconnect': {
      const link = linkOf(before, edit.node, edit.ifname);
      return link ? ok([connectOf(link)]) : missing(`veth end ${edit.node}:${edit.ifname}`);
    }
    case 'setInterface': {
      const link = linkOf(before, edit.node, edit.ifname);
      if (!link) return missing(`veth end ${edit.node}:${edit.ifname}`);
      const end = link.a.node === edit.node && link.a.ifname === edit.ifname ? link.a : link.b;
      return ok([
        {
          type: 'setInterface',
          node: edit.node,
          ifname: edit.ifname,
          ...(edit.addresses !== undefined && { addresses: [...end.addresses] }),
          ...(edit.up !== undefined && { up: end.up }),
          ...(edit.mtu !== undefined && { mtu: end.mtu ?? null }),
          ...(edit.mac !== undefined && { mac: end.mac ?? null }),
          ...(edit.effects !== undefined && { effects: end.effects ?? null }),
        },
      ]);
    }
    case 'setNamespace': {
      if (edit.name === ROOT)
        return ok([
          {
            type: 'setNamespace',
            name: ROOT,
            ...(edit.firewall !== undefined && { firewall: structuredClone(rootFirewall(before)) }),
          },
        ]);
      const ns = before.namespaces.find((n) => n.name === edit.name);
      if (!ns) return missing(`namespace ${edit.name}`);
      return ok([
        {
          type: 'setNamespace',
          name: edit.name,
          ...(edit.loUp !== undefined && { loUp: ns.loUp }),
          ...(edit.forwarding !== undefined && { forwarding: ns.forwarding }),
          ...(edit.routes !== undefined && { routes: structuredClone(ns.routes) }),
          ...(edit.firewall !== undefined && { firewall: structuredClone(ns.firewall) }),
        },
      ]);
    }
    case 'setBridge': {
      const br = before.bridges.find((b) => b.name === edit.name);
      if (!br) return missing(`bridge ${edit.name}`);
      return ok([
        {
          type: 'setBridge',
          name: edit.name,
          ...(edit.up !== undefined && { up: br.up }),
          ...(edit.stp !== undefined && { stp: br.stp }),
          ...(edit.mtu !== undefined && { mtu: br.mtu ?? null }),
          ...(edit.mac !== undefined && { mac: br.mac ?? null }),
          ...(edit.addresses !== undefined && { addresses: [...br.addresses] }),
        },
      ]);
    }
    case 'setPosition': {
      const node =
        edit.node === ROOT
          ? { position: before.rootPosition }
          : (before.namespaces.find((n) => n.name === edit.node) ??
            before.bridges.find((b) => b.name === edit.node));
      if (!node) return missing(`node ${edit.node}`);
      return ok([{ type: 'setPosition', node: edit.node, position: node.position ?? null }]);
    }
    case 'adopt':
    case 'removeHandRule':
      return { ok: false, reason: NOT_UNDOABLE[edit.type] };
  }
}

/**
 * The edits that undo a batch (edits sent in one message), in the order to apply them: each
 * edit's inverse, last edit first, each computed on the document as that edit found it.
 */
export function inverseOfEdits(before: Topology, edits: readonly Edit[]): Inverse {
  let current = before;
  const undo: Edit[][] = [];
  for (const edit of edits) {
    const inverse = inverseEdits(current, edit);
    if (!inverse.ok) return inverse;
    const next = applyEditUnchecked(current, edit);
    if (!next) return { ok: false, reason: 'the edit does not apply to this topology' };
    undo.push(inverse.edits);
    current = next;
  }
  return { ok: true, edits: undo.reverse().flat() };
}

const connectOf = (link: LinkSpec): Edit => ({ type: 'connect', ...structuredClone(link) });

function linkOf(doc: Topology, node: string, ifname: string): LinkSpec | undefined {
  return doc.links.find((l) => [l.a, l.b].some((e) => e.node === node && e.ifname === ifname));
}
