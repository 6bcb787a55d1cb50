import { parseCidr } from './address';
import { BUILTIN_CHAINS, ruleProblem, type FirewallSpec } from './firewall';
import { issuesFromZod, type Validated, type ValidationIssue } from './issues';
import { ROOT } from './names';
import { resolveTopology, endpointPlacement, type DesiredInterface } from './resolve';
import { routeIssues } from './route-checks';
import { Topology } from './topology';
import { effectsIssues } from './link-effects-checks';
import { markChecked, parseChanged } from './validate-edited';

/**
 * Parses and checks a topology document: the schema first (names, values), then the rules that
 * span objects (unique names, references that exist, one interface name and one address per
 * namespace). Pure: nothing is spawned, whatever the input.
 */
export function validateTopology(input: unknown): Validated<Topology> {
  const parsed = Topology.safeParse(input);
  if (!parsed.success) return { ok: false, issues: issuesFromZod(parsed.error) };
  return checkParsed(parsed.data);
}

/**
 * `next`, made from the checked document `prev` by edits that share what they do not change,
 * validated: the same answer as `validateTopology(next)`, with only the objects that differ
 * parsed again (validate-edited.ts).
 */
export function validateEdited(prev: Topology, next: Topology): Validated<Topology> {
  const parsed = parseChanged(prev, next);
  return parsed ? checkParsed(parsed) : validateTopology(next);
}

function checkParsed(doc: Topology): Validated<Topology> {
  const issues = semanticIssues(doc);
  return issues.length > 0 ? { ok: false, issues } : { ok: true, value: markChecked(doc) };
}

export function semanticIssues(doc: Topology): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });

  // Node names: namespaces and bridges share one space, so a link endpoint's `node` is unambiguous.
  const nodes = new Map<string, string>();
  doc.namespaces.forEach((ns, i) => {
    const seen = nodes.get(ns.name);
    if (seen) add(`namespaces[${i}].name`, `"${ns.name}" is already used by ${seen}`);
    else nodes.set(ns.name, `namespaces[${i}]`);
  });
  doc.bridges.forEach((br, i) => {
    if (br.name === ROOT) add(`bridges[${i}].name`, `"${ROOT}" names the lab's root; choose another name`);
    const seen = nodes.get(br.name);
    if (seen) add(`bridges[${i}].name`, `"${br.name}" is already used by ${seen}`);
    else nodes.set(br.name, `bridges[${i}]`);
    if (br.namespace !== undefined && !doc.namespaces.some((ns) => ns.name === br.namespace))
      add(`bridges[${i}].namespace`, `no namespace named "${br.namespace}" in this topology`);
  });

  doc.links.forEach((link, i) => {
    for (const side of ['a', 'b'] as const) {
      const ep = link[side];
      const place = endpointPlacement(doc, ep.node);
      if (!place)
        add(`links[${i}].${side}.node`, `no namespace or bridge named "${ep.node}" (or use "${ROOT}")`);
      else if (place.master !== undefined && ep.addresses.length > 0)
        add(
          `links[${i}].${side}.addresses`,
          `"${ep.ifname}" is a port of bridge "${ep.node}" and carries no addresses; put them on the bridge`,
        );
    }
    if (link.a.node === link.b.node && doc.bridges.some((br) => br.name === link.a.node))
      add(`links[${i}].b.node`, `both ends on bridge "${link.a.node}" would make a loop`);
    effectsIssues(doc, link, `links[${i}]`, add);
  });
  if (issues.length > 0) return issues;

  // Interface names and addresses, per network namespace (context).
  const resolved = resolveTopology(doc);
  const names = new Map<string, string>();
  const addresses = new Map<string, string>();
  const claim = (context: string, ifname: string, path: string) => {
    if (ifname === 'lo') return add(`${path}`, `"lo" is the loopback interface every namespace has`);
    const key = `${context}\0${ifname}`;
    const seen = names.get(key);
    if (seen) add(path, `"${ifname}" is already used in ${describeContext(context)} by ${seen}`);
    else names.set(key, path.replace(/\.(ifname|name)$/, ''));
  };
  const claimAddresses = (context: string, list: string[], path: string) => {
    list.forEach((text, j) => {
      const parsed = parseCidr(text);
      if (!parsed.ok) return;
      const key = `${context}\0${parsed.value.ip}`;
      const seen = addresses.get(key);
      if (seen)
        add(`${path}[${j}]`, `${parsed.value.ip} is already on ${seen} in ${describeContext(context)}`);
      else addresses.set(key, `${path}[${j}]`.replace(/\.addresses\[\d+\]$/, ''));
    });
  };
  for (const br of resolved.bridges) {
    claim(br.context, br.ifname, `${br.path}.name`);
    claimAddresses(br.context, br.addresses, `${br.path}.addresses`);
  }
  for (const pair of resolved.veths)
    for (const end of pair) {
      claim(end.context, end.ifname, `${end.path}.ifname`);
      claimAddresses(end.context, end.addresses, `${end.path}.addresses`);
    }

  // Routes and firewall rules, per namespace.
  // Grouped once: a filter per namespace was quadratic (1,000 namespaces: a million tests per edit).
  const byContext = new Map<string, DesiredInterface[]>();
  for (const x of [...resolved.bridges, ...resolved.veths.flat()]) {
    const list = byContext.get(x.context);
    if (list) list.push(x);
    else byContext.set(x.context, [x]);
  }
  doc.namespaces.forEach((ns, i) => {
    const here = byContext.get(ns.name) ?? [];
    routeIssues(ns.name, ns.routes, here, `namespaces[${i}].routes`, add);
    firewallIssues(ns.firewall, `namespaces[${i}].firewall`, add);
  });
  // The lab's root: its firewall, checked as a namespace's (its rules may name the root's
  // interfaces, or on the host the machine's: iptables takes any name, and so does the document).
  if (doc.root) firewallIssues(doc.root.firewall, 'root.firewall', add);
  return issues;
}

/** A firewall's own rules: user chains declared once and not built in; each rule fits where it is. */
function firewallIssues(fw: FirewallSpec, at: string, add: (path: string, message: string) => void): void {
  const seenChains = new Set<string>();
  fw.chains.forEach((chain, j) => {
    const key = `${chain.table} ${chain.name}`;
    if (seenChains.has(key))
      add(`${at}.chains[${j}].name`, `chain "${chain.name}" is declared twice in ${chain.table}`);
    if (BUILTIN_CHAINS[chain.table].includes(chain.name))
      add(`${at}.chains[${j}].name`, `"${chain.name}" is a built-in chain of ${chain.table}`);
    seenChains.add(key);
  });
  fw.rules.forEach((rule, j) => {
    const problem = ruleProblem(rule, fw.chains);
    if (problem) add(`${at}.rules[${j}].${problem.field}`, problem.message);
  });
}

const describeContext = (context: string) =>
  context === ROOT ? "the lab's root namespace" : `namespace "${context}"`;
