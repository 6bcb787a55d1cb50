import {
  ROOT,
  routeText,
  shellQuote,
  type ObservedBridgeInfo,
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
    a.name === ROOT ? -1 : b.name === ROOT ? 1 : a.name.localeCompare(b.name),
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
      details.push(interfaceDetails(iface, ns));
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
  if (ns.name === ROOT)
    return sandbox
      ? 'root  (managed: the sandbox itself)'
      : "root  (unmanaged: this machine's root namespace)";
  return ns.managed ? `${ns.name}  (managed)` : `${ns.name}  (unmanaged: netcanvas did not make it)`;
}

const DETAIL = '      ';
/** A bridge on a busy segment can learn hundreds of MACs; `observe --json` has them all. */
const MAX_FDB_LINES = 16;

function interfaceDetails(iface: ObservedInterface, ns: ObservedNamespace): string[] {
  const lines = wrap(iface.addresses, DETAIL);
  if (iface.master !== null) lines.push(`${DETAIL}master ${iface.master}${portText(iface.portInfo)}`);
  if (iface.peer !== null) lines.push(`${DETAIL}${peerText(iface)}`);
  if (iface.kind === 'bridge') {
    if (iface.bridgeInfo) lines.push(...bridgeLines(iface.bridgeInfo, ns));
    const learned = ns.fdb.filter((e) => e.bridge === iface.ifname && e.learned);
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

/** As `ip link` and `ethtool -S` tell it: `veth1@if5 ... link-netnsid 0`, `peer_ifindex: 5`. */
function peerText(iface: ObservedInterface): string {
  const peer = iface.peer as NonNullable<ObservedInterface['peer']>;
  const netnsid = iface.linkNetnsid != null ? `, link-netnsid ${iface.linkNetnsid}` : '';
  return peer.namespace !== null && peer.ifname !== null
    ? `peer ${peer.namespace}:${peer.ifname} (ifindex ${peer.ifindex}${netnsid})`
    : `peer ifindex ${peer.ifindex}${netnsid}, in a namespace outside the lab`;
}

/** As `bridge link` tells it: `master br0 state forwarding priority 32 cost 2`. */
const portText = (port: ObservedInterface['portInfo']): string =>
  port ? `  state ${port.state}, cost ${port.cost}, priority ${port.priority}` : '';

/** As `brctl show` and `brctl showstp` tell it: the bridge id, STP, and with STP on, the root. */
function bridgeLines(info: ObservedBridgeInfo, ns: ObservedNamespace): string[] {
  const stp = info.stpState === 0 ? 'stp off' : `stp on${info.stpState === 2 ? ' (user space)' : ''}`;
  const lines = [`${DETAIL}bridge id ${info.bridgeId}, ${stp}, ageing ${info.ageingTime} s`];
  if (info.stpState === 0) return lines;
  const rootPort = ns.interfaces.find((i) => i.portInfo?.portNo === info.rootPort && info.rootPort !== 0);
  lines.push(
    info.rootId === info.bridgeId
      ? `${DETAIL}root bridge (this one); forward delay ${info.forwardDelay} s, hello ${info.helloTime} s, max age ${info.maxAge} s`
      : `${DETAIL}root ${info.rootId} via port ${info.rootPort}${rootPort ? ` (${rootPort.ifname})` : ''}, path cost ${info.rootPathCost}`,
  );
  return lines;
}

/** Forwarding, the routes that are not the kernel's own, and iptables chains with rules or a DROP policy. */
function routingAndFirewall(ns: ObservedNamespace): string[] {
  const lines: string[] = [];
  if (ns.forwarding !== undefined && ns.name !== ROOT)
    lines.push(`  forwarding ${ns.forwarding ? 'on' : 'off'}`);
  const routes = (ns.routes ?? []).filter((r) => r.protocol !== 'kernel');
  for (const r of routes) lines.push(`  route ${routeText(r)}` + (r.managed ? '' : '  (unmanaged)'));
  const firewall = ns.firewall;
  if (!firewall) return lines;
  for (const chain of firewall.chains) {
    const rules = firewall.rules.filter((r) => r.table === chain.table && r.chain === chain.name);
    if (rules.length === 0 && chain.policy !== 'DROP') continue;
    const policy = chain.policy === null ? '' : ` policy ${chain.policy} [${chain.packets} packets]`;
    lines.push(`  iptables -t ${chain.table} ${chain.name}${policy}`);
    for (const rule of rules)
      lines.push(
        `    [${rule.packets} packets, ${rule.bytes} bytes] -A ${rule.chain} ${shellQuote(rule.args)}` +
          (rule.managed ? '' : '  (unmanaged)'),
      );
  }
  return lines;
}
