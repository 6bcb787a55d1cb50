import {
  IFNAME_MAX_BYTES,
  ROOT,
  byteLength,
  endpointPlacement,
  type ObservedState,
  type Topology,
} from '@netcanvas/model';

/** Interface names taken in one network namespace: by the document and by the kernel. */
function namesIn(doc: Topology, observed: ObservedState | null, context: string): Set<string> {
  const taken = new Set<string>(['lo']);
  for (const link of doc.links)
    for (const end of [link.a, link.b])
      if (endpointPlacement(doc, end.node)?.context === context) taken.add(end.ifname);
  for (const br of doc.bridges) if ((br.namespace ?? ROOT) === context) taken.add(br.name);
  for (const i of observed?.namespaces.find((n) => n.name === context)?.interfaces ?? []) taken.add(i.ifname);
  return taken;
}

function allDocNames(doc: Topology): Set<string> {
  const names = new Set<string>();
  for (const link of doc.links) for (const end of [link.a, link.b]) names.add(end.ifname);
  return names;
}

const firstFree = (prefix: string, taken: (name: string) => boolean): string => {
  for (let n = 0; ; n++) if (!taken(`${prefix}${n}`)) return `${prefix}${n}`;
};

const clip = (name: string): string => {
  let out = name;
  while (byteLength(out) > IFNAME_MAX_BYTES) out = out.slice(0, -1);
  return out;
};

/**
 * Names for a new veth pair between two nodes, as the tutorial and the examples name them: a
 * namespace-to-namespace pair gets veth0/veth1 (unique in the whole lab, so the log reads well);
 * a bridge's end is `veth-<namespace>` and the namespace's end `eth<n>`.
 */
export function proposeVethNames(
  doc: Topology,
  observed: ObservedState | null,
  from: string,
  to: string,
): { a: string; b: string } {
  const isBridge = (node: string) => doc.bridges.some((b) => b.name === node);
  const context = (node: string) => endpointPlacement(doc, node)?.context ?? node;
  const global = allDocNames(doc);
  const takenA = namesIn(doc, observed, context(from));
  const takenB = namesIn(doc, observed, context(to));
  const pick = (node: string, other: string, taken: Set<string>, also: string | null): string => {
    const used = (n: string) => taken.has(n) || n === also;
    if (isBridge(node)) {
      const base = clip(`veth-${other}`);
      if (!used(base)) return base;
      return firstFree(clip(`${base.slice(0, 12)}-`), used);
    }
    if (isBridge(other)) return firstFree('eth', used);
    return firstFree('veth', (n) => used(n) || global.has(n));
  };
  const a = pick(from, to, takenA, null);
  // The two ends may share a namespace (or both be veth<n>): never propose the same name twice.
  const b = pick(to, from, takenB, a);
  return { a, b };
}

/** A free name for a new namespace (ns0, ns1, ...) or bridge (br0, ...). */
export function proposeNodeName(
  doc: Topology,
  observed: ObservedState | null,
  kind: 'namespace' | 'bridge',
): string {
  const taken = new Set<string>([
    ...doc.namespaces.map((n) => n.name),
    ...doc.bridges.map((b) => b.name),
    ...(observed?.namespaces.map((n) => n.name) ?? []),
    ...(observed?.namespaces.flatMap((n) => n.interfaces.map((i) => i.ifname)) ?? []),
  ]);
  return firstFree(kind === 'namespace' ? 'ns' : 'br', (n) => taken.has(n));
}
