import {
  DSCP_CLASSES,
  ICMP_TYPE_NAMES,
  TOS_NAMES,
  TOS_NAME_MASK,
  type FirewallRule,
  type FirewallRuleInput,
  type Negatable,
  type Table,
} from '@netcanvas/model';

/**
 * The rule form's text, one string per field (what a person typed, before the model reads it),
 * and the two ways between it and a rule. Pure: the dialog's state, unit-tested on its own.
 */
export interface RuleDraft {
  table: Table;
  chain: string;
  protocol: string;
  source: string;
  destination: string;
  inInterface: string;
  outInterface: string;
  sourcePort: string;
  destinationPort: string;
  /** multiport: "22, 80, 8000:8080" */
  sourcePorts: string;
  destinationPorts: string;
  icmpType: string;
  sourceRange: string;
  destinationRange: string;
  /** "0x1" or "0x1/0xff" */
  mark: string;
  connmark: string;
  state: string[];
  /** The matches shown with their "not" ticked. */
  not: Negatable[];
  target: string;
  toSource: string;
  toDestination: string;
  toPort: string;
  /** CONNMARK: set a mark, or save/restore it between packet and connection. */
  connmarkMode: 'set' | 'save' | 'restore';
  setMark: string;
  setMarkMask: string;
  nfMask: string;
  ctMask: string;
  setTos: string;
  setTosMask: string;
  setDscp: string;
  ttlMode: 'set' | 'inc' | 'dec';
  ttlValue: string;
  rejectWith: string;
  logPrefix: string;
  logLevel: string;
  logFlags: string[];
}

export const CONN_STATES = ['NEW', 'ESTABLISHED', 'RELATED', 'INVALID'] as const;

/** What the form's parts get: the draft, the refusals by field, and a way to change one field. */
export interface DraftPart {
  draft: RuleDraft;
  errors: Record<string, string>;
  put: <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) => void;
}

const text = (v: string | number | undefined) => (v === undefined ? '' : String(v));
const hexText = (v: number | undefined) => (v === undefined ? '' : `0x${v.toString(16)}`);
const markText = (m: { value: number; mask?: number | undefined } | undefined) =>
  m === undefined ? '' : m.mask === undefined ? hexText(m.value) : `${hexText(m.value)}/${hexText(m.mask)}`;

export function draftOf(rule: FirewallRule | undefined): RuleDraft {
  const ttlMode = rule?.ttlInc !== undefined ? 'inc' : rule?.ttlDec !== undefined ? 'dec' : 'set';
  return {
    table: rule?.table ?? 'filter',
    chain: rule?.chain ?? 'INPUT',
    protocol: rule?.protocol ?? '',
    source: text(rule?.source),
    destination: text(rule?.destination),
    inInterface: text(rule?.inInterface),
    outInterface: text(rule?.outInterface),
    sourcePort: text(rule?.sourcePort),
    destinationPort: text(rule?.destinationPort),
    sourcePorts: rule?.sourcePorts?.join(', ') ?? '',
    destinationPorts: rule?.destinationPorts?.join(', ') ?? '',
    icmpType: text(rule?.icmpType),
    sourceRange: text(rule?.sourceRange),
    destinationRange: text(rule?.destinationRange),
    mark: markText(rule?.mark),
    connmark: markText(rule?.connmark),
    state: rule?.state ? [...rule.state] : [],
    not: rule?.not ? [...rule.not] : [],
    target: rule?.target ?? 'ACCEPT',
    toSource: text(rule?.toSource),
    toDestination: text(rule?.toDestination),
    toPort: text(rule?.toPort),
    connmarkMode: rule?.connmarkAction ?? 'set',
    setMark: hexText(rule?.setMark),
    setMarkMask: hexText(rule?.setMarkMask),
    nfMask: hexText(rule?.nfMask),
    ctMask: hexText(rule?.ctMask),
    setTos: hexText(rule?.setTos),
    setTosMask: hexText(rule?.setTosMask),
    setDscp: text(rule?.setDscp),
    ttlMode,
    ttlValue: text(rule?.ttlSet ?? rule?.ttlInc ?? rule?.ttlDec),
    rejectWith: rule?.rejectWith ?? '',
    logPrefix: rule?.logPrefix ?? '',
    logLevel: text(rule?.logLevel),
    logFlags: rule?.logFlags ? [...rule.logFlags] : [],
  };
}

/** A number as typed: decimal or 0x-hex; other text is passed on for the model to refuse by field. */
export function numberText(input: string): number | string | undefined {
  const t = input.trim();
  if (t === '') return undefined;
  if (/^\d+$/.test(t)) return Number(t);
  if (/^0x[0-9a-f]+$/i.test(t)) return parseInt(t.slice(2), 16);
  return t;
}

/** Sets a field of `into` when there is a value: a blank field is absent. */
const setter =
  (into: Record<string, unknown>) =>
  (key: string, value: unknown): void => {
    if (value !== undefined) into[key] = value;
  };

/** Trimmed text, or undefined when blank. */
const optional = (input: string): string | undefined => (input.trim() === '' ? undefined : input.trim());

/**
 * The rule the form stands for, and what the form itself could not read (by field). Options of
 * other targets and matches of other protocols are left out: they are not on the screen.
 */
export function ruleOf(d: RuleDraft): { rule: FirewallRuleInput; unread: Record<string, string> } {
  const rule: Record<string, unknown> = { table: d.table, chain: d.chain, target: d.target };
  const unread: Record<string, string> = {};
  const set = setter(rule);
  set('protocol', optional(d.protocol));
  set('source', optional(d.source));
  set('destination', optional(d.destination));
  set('inInterface', optional(d.inInterface));
  set('outInterface', optional(d.outInterface));
  if (d.protocol === 'tcp' || d.protocol === 'udp') {
    set('sourcePort', numberText(d.sourcePort));
    set('destinationPort', numberText(d.destinationPort));
    set('sourcePorts', portList(d.sourcePorts));
    set('destinationPorts', portList(d.destinationPorts));
  }
  if (d.protocol === 'icmp') {
    const name = ICMP_TYPE_NAMES[d.icmpType.trim()];
    set('icmpType', name ?? numberText(d.icmpType));
  }
  set('sourceRange', optional(d.sourceRange));
  set('destinationRange', optional(d.destinationRange));
  for (const field of ['mark', 'connmark'] as const) {
    const m = optional(d[field]);
    if (m === undefined) continue;
    const parsed = markOf(m);
    if (parsed) rule[field] = parsed;
    else unread[field] = `"${m}": a mark like 0x1, or value/mask like 0x1/0xff`;
  }
  if (d.state.length > 0) rule.state = CONN_STATES.filter((s) => d.state.includes(s));
  const not = d.not.filter((f) => rule[f] !== undefined);
  if (not.length > 0) rule.not = not;
  Object.assign(rule, targetOptions(d, unread));
  return { rule: rule as FirewallRuleInput, unread };
}

function targetOptions(d: RuleDraft, unread: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const set = setter(out);
  /** A field that takes a number only: other text is the form's to refuse, by that field. */
  const number = (key: string, input: string, named?: number | string) => {
    const value = named ?? numberText(input);
    if (typeof value === 'string' && named === undefined)
      unread[key] = `"${value}" is not a number (decimal, or hex like 0xff)`;
    else set(key, value);
  };
  switch (d.target) {
    case 'SNAT':
      set('toSource', optional(d.toSource));
      break;
    case 'DNAT':
      set('toDestination', optional(d.toDestination));
      number('toPort', d.toPort);
      break;
    case 'MARK':
      number('setMark', d.setMark);
      number('setMarkMask', d.setMarkMask);
      break;
    case 'CONNMARK':
      if (d.connmarkMode === 'set') {
        number('setMark', d.setMark);
        number('setMarkMask', d.setMarkMask);
      } else {
        out.connmarkAction = d.connmarkMode;
        number('nfMask', d.nfMask);
        number('ctMask', d.ctMask);
      }
      break;
    case 'TOS': {
      // A name (Minimize-Delay) is iptables' value with its mask, as `--set-tos NAME` is.
      const named = TOS_NAMES[d.setTos.trim() as keyof typeof TOS_NAMES];
      number('setTos', d.setTos, named);
      number(
        'setTosMask',
        d.setTosMask,
        d.setTosMask.trim() === '' && named !== undefined ? TOS_NAME_MASK : undefined,
      );
      break;
    }
    case 'DSCP': {
      const cls = d.setDscp.trim().toUpperCase();
      number('setDscp', d.setDscp, cls in DSCP_CLASSES ? cls : undefined);
      break;
    }
    case 'TTL':
      number({ set: 'ttlSet', inc: 'ttlInc', dec: 'ttlDec' }[d.ttlMode], d.ttlValue);
      break;
    case 'REJECT':
      set('rejectWith', optional(d.rejectWith));
      break;
    case 'LOG':
      // The prefix is kept as typed: its spaces count ("DROP IN: ").
      if (d.logPrefix !== '') out.logPrefix = d.logPrefix;
      set('logLevel', numberText(d.logLevel));
      if (d.logFlags.length > 0) out.logFlags = d.logFlags;
      break;
  }
  return out;
}

/** "22, 80 8000:8080" → [22, 80, "8000:8080"]; blank → undefined. */
function portList(input: string): (number | string)[] | undefined {
  const parts = input.split(/[\s,]+/).filter((p) => p !== '');
  return parts.length === 0 ? undefined : parts.map((p) => numberText(p) as number | string);
}

function markOf(input: string): { value: number; mask?: number } | null {
  const [value, mask, extra] = input.split('/').map(numberText);
  if (typeof value !== 'number' || extra !== undefined) return null;
  if (mask === undefined) return input.includes('/') ? null : { value };
  return typeof mask === 'number' ? { value, mask } : null;
}
