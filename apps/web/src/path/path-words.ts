import { verdictText, type HookPass, type PathHop } from '@netcanvas/model';

/** A packet path's hops in words, as the path panel lists them (pure). */

/** "FORWARD: filter policy ACCEPT", "POSTROUTING: nat POSTROUTING rule 1: -A … -j MASQUERADE (1 packet)". */
export function hookWords(pass: HookPass): string {
  if (pass.verdicts.length === 0) return `${pass.hook}: passed (no rules here)`;
  const said = pass.verdicts.map((v) =>
    v.by === 'rule' ? `${verdictText(v)} (${v.packets} packet${v.packets === 1 ? '' : 's'})` : verdictText(v),
  );
  return `${pass.hook}: ${said.join('; ')}`;
}

/** The lines under a hop's title: its route, hooks, neighbour and bridges, in the order the packet met them. */
export function hopLines(hop: PathHop): string[] {
  const lines: string[] = [];
  if (hop.route) lines.push(`route to ${hop.destination}: ${hop.route}`);
  lines.push(...hop.hooks.map(hookWords));
  const n = hop.neighbour;
  if (n)
    lines.push(
      n.mac
        ? `ARP: ${n.address} is ${n.mac} on ${n.dev} (${n.state})`
        : `ARP: no answer for ${n.address} on ${n.dev} (${n.state})`,
    );
  for (const b of hop.bridges)
    lines.push(
      b.outPort
        ? `bridge ${b.bridge}: in ${b.inPort}, out ${b.outPort} (${b.mac ?? 'MAC'} learned there)`
        : `bridge ${b.bridge}: in ${b.inPort}, flooded (${b.mac ?? 'the MAC'} not in its table)`,
    );
  return lines;
}

/** "h1 (out eth0)", "r1 (in eth0, out eth1)", "srv (in eth0)". */
export function hopTitle(hop: PathHop): string {
  const sides = [
    ...(hop.inInterface ? [`in ${hop.inInterface}`] : []),
    ...(hop.outInterface ? [`out ${hop.outInterface}`] : []),
  ];
  return sides.length > 0 ? `${hop.namespace} (${sides.join(', ')})` : hop.namespace;
}
