import type { FirewallRule, Table } from './firewall';
import { BUILTIN_CHAINS, type Negatable } from './firewall-vocab';

type Field = keyof FirewallRule;
export interface RuleProblem {
  field: Field;
  message: string;
}

/** Where each built-in target may stand; what is not listed fits everywhere. */
const PLACES: Record<string, { tables: Table[]; chains?: string[]; hint: string }> = {
  DROP: { tables: ['raw', 'mangle', 'filter'], hint: 'not in the nat table' },
  REJECT: { tables: ['filter'], hint: 'only the filter table' },
  MASQUERADE: { tables: ['nat'], chains: ['POSTROUTING'], hint: 'only nat POSTROUTING' },
  SNAT: { tables: ['nat'], chains: ['POSTROUTING', 'INPUT'], hint: 'only nat POSTROUTING or INPUT' },
  DNAT: { tables: ['nat'], chains: ['PREROUTING', 'OUTPUT'], hint: 'only nat PREROUTING or OUTPUT' },
  TTL: { tables: ['mangle'], hint: 'only the mangle table' },
  TOS: { tables: ['mangle'], hint: 'only the mangle table' },
  DSCP: { tables: ['mangle'], hint: 'only the mangle table' },
  NOTRACK: { tables: ['raw'], hint: 'only the raw table' },
  CT: { tables: ['raw'], hint: 'only the raw table' },
};
const FITS_ANYWHERE = ['ACCEPT', 'RETURN', 'LOG', 'MARK', 'CONNMARK'];

/** Each target's own options: a field set for another target is refused by name. */
const OPTIONS: Partial<Record<Field, string[]>> = {
  toSource: ['SNAT'],
  toDestination: ['DNAT'],
  toPort: ['DNAT'],
  setMark: ['MARK', 'CONNMARK'],
  setMarkMask: ['MARK', 'CONNMARK'],
  connmarkAction: ['CONNMARK'],
  nfMask: ['CONNMARK'],
  ctMask: ['CONNMARK'],
  setTos: ['TOS'],
  setTosMask: ['TOS'],
  setDscp: ['DSCP'],
  ttlSet: ['TTL'],
  ttlInc: ['TTL'],
  ttlDec: ['TTL'],
  rejectWith: ['REJECT'],
  logPrefix: ['LOG'],
  logLevel: ['LOG'],
  logFlags: ['LOG'],
};

/** Why `rule` does not fit where it is, or null: the table/chain/target matrix of iptables. */
export function ruleProblem(
  rule: FirewallRule,
  userChains: readonly { table: Table; name: string }[],
): RuleProblem | null {
  const isUser = (name: string) => userChains.some((c) => c.table === rule.table && c.name === name);
  const builtin = BUILTIN_CHAINS[rule.table];
  if (!builtin.includes(rule.chain) && !isUser(rule.chain))
    return {
      field: 'chain',
      message: `the ${rule.table} table has no chain "${rule.chain}" (built-in: ${builtin.join(', ')}; or declare it in chains)`,
    };
  return (
    targetProblem(rule, isUser) ??
    negationProblem(rule) ??
    matchProblem(rule) ??
    optionProblem(rule) ??
    familyProblem(rule)
  );
}

function targetProblem(rule: FirewallRule, isUser: (name: string) => boolean): RuleProblem | null {
  const t = rule.target;
  const place = PLACES[t];
  if (place) {
    const fits =
      place.tables.includes(rule.table) &&
      (place.chains === undefined || place.chains.includes(rule.chain) || isUser(rule.chain));
    return fits
      ? null
      : { field: 'target', message: `${t} does not belong in ${rule.table} ${rule.chain} (${place.hint})` };
  }
  if (FITS_ANYWHERE.includes(t) || isUser(t)) return null;
  return {
    field: 'target',
    message: `"${t}" is neither a target nor a chain declared in the ${rule.table} table`,
  };
}

function negationProblem(rule: FirewallRule): RuleProblem | null {
  for (const field of rule.not ?? []) {
    if (rule[field] === undefined)
      return {
        field: 'not',
        message: `"${field}" is negated but not set: give it a value, or drop the "not"`,
      };
  }
  const negated = (field: Negatable) => rule.not?.includes(field) === true;
  if (negated('protocol') && rule.protocol === 'all')
    return { field: 'protocol', message: 'not "all" would match nothing (the kernel refuses it)' };
  for (const field of ['source', 'destination'] as const)
    if (negated(field) && rule[field]?.endsWith('/0'))
      return { field, message: 'not every address would match nothing (the kernel refuses it)' };
  return null;
}

/** The rule's protocol is one of these, and not negated. */
const protocolIs = (rule: FirewallRule, ...names: string[]) =>
  rule.protocol !== undefined && names.includes(rule.protocol) && !rule.not?.includes('protocol');

function matchProblem(rule: FirewallRule): RuleProblem | null {
  const ported = protocolIs(rule, 'tcp', 'udp');
  for (const field of ['sourcePort', 'destinationPort', 'sourcePorts', 'destinationPorts'] as const)
    if (rule[field] !== undefined && !ported)
      return { field: 'protocol', message: 'ports need protocol tcp or udp (not negated)' };
  for (const field of ['sourcePort', 'destinationPort'] as const) {
    const port = rule[field];
    if (typeof port === 'string' && port.split(':').map(Number).join(':') === '0:65535')
      return {
        field,
        message: 'every port (0:65535) is no match at all: iptables drops it, so leave the port out',
      };
  }
  if (rule.icmpType !== undefined && !protocolIs(rule, 'icmp'))
    return { field: 'protocol', message: 'an ICMP type needs protocol icmp (not negated)' };
  if (rule.inInterface !== undefined && ['OUTPUT', 'POSTROUTING'].includes(rule.chain))
    return { field: 'inInterface', message: `no input interface in ${rule.chain}` };
  if (rule.outInterface !== undefined && ['PREROUTING', 'INPUT'].includes(rule.chain))
    return { field: 'outInterface', message: `no output interface in ${rule.chain}` };
  return null;
}

function optionProblem(rule: FirewallRule): RuleProblem | null {
  const t = rule.target;
  for (const [field, targets] of Object.entries(OPTIONS) as [Field, string[]][])
    if (rule[field] !== undefined && !targets.includes(t))
      return { field, message: `${field} is for ${targets.join(' or ')}` };
  const need = (field: Field, message: string): RuleProblem | null =>
    rule[field] === undefined ? { field, message } : null;
  const oneOf = (fields: Field[], message: string): RuleProblem | null =>
    fields.filter((f) => rule[f] !== undefined).length === 1 ? null : { field: fields[0] as Field, message };
  const required: Record<string, () => RuleProblem | null> = {
    SNAT: () => need('toSource', 'SNAT needs toSource'),
    DNAT: () => need('toDestination', 'DNAT needs toDestination'),
    MARK: () => need('setMark', 'MARK needs setMark'),
    CONNMARK: () =>
      oneOf(['setMark', 'connmarkAction'], 'CONNMARK needs setMark, or connmarkAction save or restore'),
    TOS: () => need('setTos', 'TOS needs setTos'),
    DSCP: () => need('setDscp', 'DSCP needs setDscp (0..63 or a class like EF)'),
    TTL: () => oneOf(['ttlSet', 'ttlInc', 'ttlDec'], 'TTL needs one of ttlSet, ttlInc or ttlDec'),
  };
  const missing = required[t]?.();
  if (missing) return missing;
  if (rule.setMarkMask !== undefined && rule.setMark === undefined)
    return { field: 'setMarkMask', message: 'setMarkMask goes with setMark' };
  for (const field of ['nfMask', 'ctMask'] as const)
    if (rule[field] !== undefined && rule.connmarkAction === undefined)
      return { field, message: `${field} goes with connmarkAction save or restore` };
  if (rule.toPort !== undefined && !protocolIs(rule, 'tcp', 'udp'))
    return { field: 'toPort', message: 'toPort is for DNAT with protocol tcp or udp' };
  if (rule.rejectWith === 'tcp-reset' && !protocolIs(rule, 'tcp'))
    return { field: 'rejectWith', message: 'tcp-reset answers TCP only: it needs protocol tcp' };
  return null;
}

function familyProblem(rule: FirewallRule): RuleProblem | null {
  for (const field of ['source', 'destination', 'toSource', 'toDestination'] as const) {
    const v = rule[field];
    if (v !== undefined && v.includes(':'))
      return { field, message: 'IPv4 only (iptables); IPv6 rules are not supported yet' };
  }
  return null;
}
