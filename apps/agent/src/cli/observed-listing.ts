import {
  ROOT_CONTEXT,
  type ObservedFdbEntry,
  type ObservedInterface,
  type ObservedNamespace,
  type ObservedState,
} from '@netcanvas/model';
import { localTime, plural, table, wrap } from './output';

/**
 * `netcanvas observe` as text: each namespace (root first), a table of its interfaces, and under
 * each interface what `ip addr` and `bridge fdb` would say about it. Fits 100 columns (80 for
 * typical names): names are at most 15 bytes, and long address lists wrap.
 */
export function renderObserved(state: ObservedState): string[] {
  const target =
    state.target.kind === 'sandbox'
      ? `sandbox lab "${state.target.lab}" (holder pid ${state.target.pid})`
      : `lab "${state.target.lab}": this machine's own network namespaces`;
  const lines = [`${target}, observed ${localTime(state.takenAt, true)}`];
  // `ip netns list` puts the newest first; a listing reads better in name order, root first.
  const namespaces = [...state.namespaces].sort((a, b) =>
    a.name === ROOT_CONTEXT ? -1 : b.name === ROOT_CONTEXT ? 1 : a.name.localeCompare(b.name),
  );
  let interfaces = 0;
  let unmanaged = 0;
  for (const ns of namespaces) {
    lines.push('', namespaceHeading(ns, state.target.kind === 'sandbox'));
    const rows = [['IFACE', 'KIND', 'ADMIN', 'OPER', 'MTU', 'MAC', '']];
    const details: string[][] = [];
    for (const iface of ns.interfaces) {
      const foreign = !iface.managed && iface.ifname !== 'lo';
      interfaces++;
      if (foreign) unmanaged++;
      rows.push([
        iface.ifname,
        iface.kind,
        iface.up ? 'UP' : 'DOWN',
        iface.operstate,
        String(iface.mtu),
        iface.mac ?? '-',
        foreign ? 'unmanaged' : '',
      ]);
      details.push(interfaceDetails(iface, ns.fdb));
    }
    const [heading, ...body] = table(rows, '  ').map((line) => line.trimEnd());
    lines.push(heading as string);
    body.forEach((line, i) => lines.push(line, ...(details[i] ?? [])));
    lines.push(...routingAndFirewall(ns));
  }
  lines.push(
    '',
    `${plural(state.namespaces.length, 'namespace')}, ${plural(interfaces, 'interface')}` +
      (unmanaged > 0 ? ` (${unmanaged} not made by netcanvas)` : ''),
  );
  return lines;
}

function namespaceHeading(ns: ObservedNamespace, sandbox: boolean): string {
  if (ns.name === ROOT_CONTEXT)
    return sandbox
      ? 'root  (managed: the sandbox itself)'
      : "root  (unmanaged: this machine's root namespace)";
  return ns.managed ? `${ns.name}  (managed)` : `${ns.name}  (unmanaged: netcanvas did not make it)`;
}

const DETAIL = '      ';
/** A bridge on a busy segment can learn hundreds of MACs; `observe --json` has them all. */
const MAX_FDB_LINES = 16;

function interfaceDetails(iface: ObservedInterface, fdb: readonly ObservedFdbEntry[]): string[] {
  const lines = wrap(iface.addresses, DETAIL);
  if (iface.master !== null) lines.push(`${DETAIL}master ${iface.master}`);
  if (iface.peer !== null)
    lines.push(
      iface.peer.namespace !== null && iface.peer.ifname !== null
        ? `${DETAIL}peer ${iface.peer.namespace}:${iface.peer.ifname} (ifindex ${iface.peer.ifindex})`
        : `${DETAIL}peer ifindex ${iface.peer.ifindex}, in a namespace outside the lab`,
    );
  if (iface.kind === 'bridge') {
    const learned = fdb.filter((e) => e.bridge === iface.ifname && e.learned);
    if (learned.length > 0) lines.push(`${DETAIL}learned MACs:`);
    for (const entry of learned.slice(0, MAX_FDB_LINES))
      lines.push(
        `${DETAIL}  ${entry.mac} → ${entry.port}` +
          (entry.vlan !== null ? ` vlan ${entry.vlan}` : '') +
          (entry.ageSeconds !== null ? `, ${entry.ageSeconds} s ago` : ''),
      );
    if (learned.length > MAX_FDB_LINES)
      lines.push(`${DETAIL}  … ${learned.length - MAX_FDB_LINES} more (observe --json lists them all)`);
  }
  return lines;
}

/** Forwarding, the routes that are not the kernel's own, and iptables chains with rules or a DROP policy. */
function routingAndFirewall(ns: ObservedNamespace): string[] {
  const lines: string[] = [];
  if (ns.forwarding !== undefined && ns.name !== ROOT_CONTEXT)
    lines.push(`  forwarding ${ns.forwarding ? 'on' : 'off'}`);
  const routes = (ns.routes ?? []).filter((r) => r.protocol !== 'kernel');
  for (const r of routes)
    lines.push(
      `  route ${r.to}${r.via ? ` via ${r.via}` : ''}${r.dev ? ` dev ${r.dev}` : ''}${r.metric !== null ? ` metric ${r.metric}` : ''}` +
        (r.managed ? '' : '  (unmanaged)'),
    );
  const firewall = ns.firewall;
  if (!firewall) return lines;
  for (const chain of firewall.chains) {
    const rules = firewall.rules.filter((r) => r.table === chain.table && r.chain === chain.name);
    if (rules.length === 0 && chain.policy !== 'DROP') continue;
    const policy = chain.policy === null ? '' : ` policy ${chain.policy} [${chain.packets} packets]`;
    lines.push(`  iptables -t ${chain.table} ${chain.name}${policy}`);
    for (const rule of rules)
      lines.push(
        `    [${rule.packets} packets, ${rule.bytes} bytes] -A ${rule.chain} ${rule.args.join(' ')}` +
          (rule.managed ? '' : '  (unmanaged)'),
      );
  }
  return lines;
}
