import {
  BUILTIN_CHAINS,
  RULE_COMMENT,
  TABLES,
  networkOf,
  parseCidr,
  resolveTopology,
  ruleArgs,
  validateTopology,
  type ObservedInterface,
  type ObservedNamespace,
  type ObservedRoute,
  type ObservedRule,
  type ObservedState,
  type TopologyInput,
} from '../src';
import { observedVeth } from './fixtures';

/**
 * A kernel reading of a lab built by hand, as a reader of the tutorial leaves it: the network a
 * topology describes, with nothing carrying the lab's marks (no group, no record, routes of
 * protocol boot, rules without the comment, in iptables' own words).
 */

let nextIndex = 1000;

export const handIface = (ifname: string, extra: Partial<ObservedInterface> = {}): ObservedInterface =>
  observedVeth(ifname, { ifindex: nextIndex++, mac: null, managed: false, group: 'default', ...extra });

export const loopback = (up: boolean): ObservedInterface =>
  handIface('lo', { kind: 'loopback', up, addresses: up ? ['127.0.0.1/8', '::1/128'] : [] });

/** What `iptables-save` prints for a rule made by hand: the lab's words without the comment. */
export const handArgs = (args: readonly string[]): string[] => {
  const at = args.findIndex(
    (a, i) => a === '-m' && args[i + 1] === 'comment' && args[i + 3] === RULE_COMMENT,
  );
  return at < 0 ? [...args] : [...args.slice(0, at), ...args.slice(at + 4)];
};

export const handRule = (table: string, chain: string, args: string[]): ObservedRule => ({
  table,
  chain,
  args,
  managed: false,
  packets: 3,
  bytes: 180,
});

export const builtinChains = (policies: Record<string, string> = {}) =>
  TABLES.flatMap((table) =>
    BUILTIN_CHAINS[table].map((name) => ({
      table,
      name,
      policy: policies[`${table} ${name}`] ?? 'ACCEPT',
      packets: 0,
      bytes: 0,
    })),
  );

export const handNamespace = (name: string, extra: Partial<ObservedNamespace> = {}): ObservedNamespace => ({
  name,
  managed: false,
  interfaces: [loopback(true)],
  fdb: [],
  forwarding: false,
  routes: [],
  firewall: { chains: builtinChains(), rules: [] },
  ...extra,
});

export const observedState = (namespaces: ObservedNamespace[]): ObservedState => ({
  target: { kind: 'sandbox', lab: 'hand', pid: 1 },
  takenAt: '2026-12-01T00:00:00.000Z',
  namespaces,
});

export const peers = (aNs: string, a: ObservedInterface, bNs: string, b: ObservedInterface): void => {
  a.peer = { namespace: bNs, ifindex: b.ifindex, ifname: b.ifname };
  b.peer = { namespace: aNs, ifindex: a.ifindex, ifname: a.ifname };
};

/** The kernel after a person typed `input` by hand (every end and bridge with a MAC). */
export function handLab(input: TopologyInput): ObservedState {
  const checked = validateTopology(input);
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  const doc = checked.value;
  const resolved = resolveTopology(doc);
  const contexts = new Map<string, ObservedNamespace>();
  const rootFw = doc.root?.firewall;
  contexts.set('root', handNamespace('root', { managed: true, routes: [], forwarding: false }));
  for (const spec of doc.namespaces)
    contexts.set(
      spec.name,
      handNamespace(spec.name, {
        interfaces: [loopback(spec.loUp)],
        forwarding: spec.forwarding,
        firewall: firewallOf(spec.firewall),
      }),
    );
  if (rootFw) (contexts.get('root') as ObservedNamespace).firewall = firewallOf(rootFw);
  const at = (context: string) => contexts.get(context) as ObservedNamespace;
  const connected = (context: string, dev: string, addresses: string[]) => {
    for (const text of addresses) {
      const p = parseCidr(text);
      if (!p.ok || p.value.family !== 4) continue;
      at(context).routes?.push({
        to: `${networkOf(p.value.ip, p.value.prefix, 4)}/${p.value.prefix}`,
        via: null,
        dev,
        protocol: 'kernel',
        metric: null,
        managed: false,
      });
    }
  };
  for (const br of resolved.bridges) {
    at(br.context).interfaces.push(
      handIface(br.ifname, {
        kind: 'bridge',
        up: br.up,
        stp: br.stp,
        mtu: br.mtu ?? 1500,
        mac: br.mac ?? null,
        addresses: [...br.addresses, 'fe80::1/64'],
      }),
    );
    connected(br.context, br.ifname, br.addresses);
  }
  for (const [a, b] of resolved.veths) {
    const [ia, ib] = [a, b].map((end) => {
      const made = handIface(end.ifname, {
        up: end.up,
        mtu: end.mtu ?? 1500,
        mac: end.mac ?? null,
        master: end.master ?? null,
        addresses: [...end.addresses],
      });
      at(end.context).interfaces.push(made);
      connected(end.context, end.ifname, end.addresses);
      return made;
    }) as [ObservedInterface, ObservedInterface];
    peers(a.context, ia, b.context, ib);
  }
  for (const spec of doc.namespaces)
    for (const route of spec.routes) {
      const here = at(spec.name);
      // A blackhole (unreachable, prohibit) route goes through no device: the observer says none.
      const dev =
        route.type !== undefined
          ? null
          : (route.dev ??
            (here.routes ?? []).find((r) => {
              const p = parseCidr(r.to);
              const via = route.via === undefined ? null : parseCidr(`${route.via}/32`);
              return p.ok && via?.ok && networkOf(via.value.ip, p.value.prefix, 4) === p.value.ip;
            })?.dev ??
            null);
      const seen: ObservedRoute = {
        ...(route.type !== undefined ? { type: route.type } : {}),
        to: route.to,
        via: route.via ?? null,
        dev,
        protocol: 'boot',
        metric: route.metric ?? null,
        managed: false,
      };
      here.routes?.push(seen);
    }
  return observedState([...contexts.values()]);
}

function firewallOf(fw: {
  chains: { table: string; name: string }[];
  policies: { chain: string; policy: string; table?: string }[];
  rules: Parameters<typeof ruleArgs>[0][];
}): ObservedNamespace['firewall'] {
  return {
    chains: [
      ...builtinChains(
        Object.fromEntries(fw.policies.map((p) => [`${p.table ?? 'filter'} ${p.chain}`, p.policy])),
      ),
      ...fw.chains.map((c) => ({ ...c, policy: null, packets: 0, bytes: 0 })),
    ],
    // iptables-save prints a table's chains' rules grouped by table, in the order they were added.
    rules: TABLES.flatMap((table) =>
      fw.rules.filter((r) => r.table === table).map((r) => handRule(r.table, r.chain, handArgs(ruleArgs(r)))),
    ),
  };
}
