import type { ObservedNamespace, ObservedState } from '@netcanvas/model';

/**
 * What a person means by "the same network": names, kinds, states, peers, addresses, routes, rules
 * (not ifindexes, counters or random MACs). `namespacesOwned` false leaves out whether the lab
 * recorded a namespace as its own: a script run by hand makes them without the record.
 */
export function normalised(state: ObservedState, options: { namespacesOwned: boolean }) {
  const namespace = (ns: ObservedNamespace) => ({
    name: ns.name,
    managed: options.namespacesOwned ? ns.managed : null,
    forwarding: ns.forwarding,
    interfaces: ns.interfaces
      .map((i) => ({
        ifname: i.ifname,
        kind: i.kind,
        up: i.up,
        mtu: i.mtu,
        master: i.master,
        managed: i.managed,
        addresses: i.addresses.filter((a) => !/^fe80:/i.test(a)).sort(),
        peer: i.peer && { namespace: i.peer.namespace, ifname: i.peer.ifname },
      }))
      .sort((a, b) => a.ifname.localeCompare(b.ifname)),
    // The kernel's own link-local routes come with its link-local addresses, on its own time.
    routes: (ns.routes ?? [])
      .filter((r) => !/^fe80:/i.test(r.to))
      .map((r) => JSON.stringify(r))
      .sort(),
    chains: (ns.firewall?.chains ?? []).map((c) => `${c.table} ${c.name} ${c.policy}`).sort(),
    rules: (ns.firewall?.rules ?? []).map((r) => `${r.table} ${r.chain} ${r.args.join(' ')} ${r.managed}`),
  });
  return state.namespaces.map(namespace).sort((a, b) => a.name.localeCompare(b.name));
}
