import { ErrorCode, ROOT, type CommandRecord, type Topology, type ValidationIssue } from '@netcanvas/model';

/**
 * Errors for people (issue 11 §7): a sentence about the thing on screen ("10.0.1.300/24 is not a
 * valid IPv4 address…", "ns0 already has an interface named veth0"), and a detail line with what
 * the command line says (the field path and the model's words, the agent's code). Pure.
 */
export interface Problem {
  message: string;
  /** The field path and the model's own words (`edits[0].addresses[0]: …`), or the agent's code. */
  detail: string | null;
}

type Key = string | number;
type Loose = Record<string, unknown>;

/** `edits[0].a.addresses[1]` → ['edits', 0, 'a', 'addresses', 1]. */
export function parsePath(path: string): Key[] {
  const keys: Key[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g))
    keys.push(m[2] !== undefined ? Number(m[2]) : (m[1] ?? ''));
  return keys;
}

const at = (value: unknown, keys: readonly Key[]): unknown =>
  keys.reduce<unknown>(
    (v, k) => (v !== null && typeof v === 'object' ? (v as Record<Key, unknown>)[k] : undefined),
    value,
  );

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const place = (node: string) => (node === ROOT ? 'the lab’s root' : node);
const endName = (end: unknown) =>
  `${str(at(end, ['ifname'])) || 'the interface'} in ${place(str(at(end, ['node'])) || '?')}`;

/** What an edit is about, named as the canvas names it. */
export function editThing(edit: unknown, rest: readonly Key[] = []): string {
  const e = (edit ?? {}) as Loose;
  const name = str(e.name);
  switch (e.type) {
    case 'setInterface':
    case 'disconnect':
      return endName(e);
    case 'connect':
      if (rest[0] === 'a' || rest[0] === 'b') return endName(e[rest[0]]);
      return `the veth ${endName(e.a)} ⇄ ${endName(e.b)}`;
    case 'addNamespace':
    case 'removeNamespace':
    case 'setNamespace':
      return name === ROOT ? 'the lab’s root' : `namespace ${name}`;
    case 'addBridge':
    case 'removeBridge':
    case 'setBridge':
      return `bridge ${name}`;
    case 'setPosition':
      return `the place of ${place(str(e.node))}`;
    case 'adopt':
      return `adopting ${str(e.ifname) ? `${str(e.ifname)} in ` : ''}${place(str(e.namespace))}`;
    case 'removeHandRule':
      return `the rule made by hand in ${place(str(e.namespace))}`;
    default:
      return 'this change';
  }
}

/** What a path into the document names: `links[0].a` → "veth0 in ns0". */
export function documentThing(doc: Topology | undefined, keys: readonly Key[]): string | null {
  const [list, i, side] = keys;
  if (typeof i !== 'number' || !doc) return null;
  if (list === 'links') {
    const link = doc.links[i];
    if (!link) return null;
    return side === 'a' || side === 'b'
      ? endName(link[side])
      : `the veth ${endName(link.a)} ⇄ ${endName(link.b)}`;
  }
  if (list === 'namespaces') return doc.namespaces[i] ? `namespace ${doc.namespaces[i].name}` : null;
  if (list === 'bridges') return doc.bridges[i] ? `bridge ${doc.bridges[i].name}` : null;
  return null;
}

const LABELS: Record<string, string> = {
  addresses: 'address',
  ifname: 'interface name',
  mtu: 'MTU',
  mac: 'MAC',
  node: 'node',
  via: 'gateway',
  to: 'destination',
  dev: 'device',
  metric: 'metric',
  routes: 'route',
  rules: 'rule',
  policies: 'policy',
  chains: 'chain',
  firewall: 'firewall',
  namespace: 'namespace',
  position: 'place',
  up: 'state (up or down)',
  stp: 'STP',
  loUp: 'lo',
  forwarding: 'forwarding',
  type: 'kind of change',
};

/** The field a path ends in, as a label: the last named key ("addresses[0]" → "address"). */
export function fieldLabel(edit: unknown, rest: readonly Key[]): string {
  const named = rest.filter((k): k is string => typeof k === 'string' && k !== 'a' && k !== 'b');
  const last = named.at(-1);
  if (last === undefined) return 'value';
  if (last === 'name') {
    const type = str((edit as Loose | undefined)?.type);
    return /Namespace$/.test(type) ? 'namespace name' : /Bridge$/.test(type) ? 'bridge name' : 'name';
  }
  // A rule's field by its own name ("destinationPort" → "destination port").
  return LABELS[last] ?? last.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`);
}

/**
 * A capital only for our own words: names (ns0, veth0, 10.0.1.1) are written as the kernel
 * knows them, even at the start of a sentence.
 */
const capital = (s: string) =>
  /^(namespace|bridge|the|this|adopting|no|a|an|interface|chain|route|rule|both|too|invalid|must)\b/i.test(s)
    ? s[0]!.toUpperCase() + s.slice(1)
    : s;
const sentence = (s: string) => {
  const c = capital(s.trim());
  return /[.!?]$/.test(c) ? c : `${c}.`;
};
/** zod's type names, as a person says them. */
const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a set of fields',
  null: 'nothing',
  NaN: 'not a number',
  Infinity: 'infinite',
};
const typeWords = (type: string) => TYPE_WORDS[type] ?? type;
const pluralLabel = (label: string) => (/s$/.test(label) ? `${label}es` : `${label}s`);
const orList = (items: string[]) =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)!}`;

/** A value-free rewording of zod's own messages (the model's are sentences already). */
function zodSentence(message: string, thing: string, label: string): string | null {
  let m = /^Invalid input: expected (\w+), received (\w+)$/.exec(message);
  if (m)
    return m[2] === 'undefined'
      ? `The ${label}${/name$/.test(label) ? '' : ` of ${thing}`} is missing`
      : `The ${label} of ${thing} should be ${typeWords(m[1]!)}, not ${typeWords(m[2]!)}`;
  m = /^Too big: expected (\w+) to (?:have|be) <=?(\d+)(?: (items|characters))?/.exec(message);
  if (m)
    return m[3] === 'items'
      ? `${capital(thing)} has too many ${pluralLabel(label)}: at most ${m[2]}`
      : `The ${label} of ${thing} is too ${m[3] ? 'long' : 'big'}: at most ${m[2]}${m[3] ? ` ${m[3]}` : ''}`;
  m = /^Too small: expected (\w+) to (?:have|be) >=?(\d+)(?: (items|characters))?/.exec(message);
  if (m)
    return m[3] === 'items'
      ? `${capital(thing)} needs at least ${m[2]} ${m[2] === '1' ? label : pluralLabel(label)}`
      : `The ${label} of ${thing} is too ${m[3] ? 'short' : 'small'}: at least ${m[2]}${m[3] ? ` ${m[3]}` : ''}`;
  m = /^Unrecognized keys?: (.+)$/.exec(message);
  if (m) return `${capital(thing)} has a field the editor does not know: ${m[1]!.replaceAll('"', '')}`;
  m = /^Invalid (?:option|input): expected (?:one of )?(.+)$/.exec(message);
  if (m) return `The ${label} of ${thing} must be ${orList(m[1]!.replaceAll('"', '').split('|'))}`;
  if (/^Invalid discriminator value/.test(message)) return 'The editor does not know this kind of change';
  if (/^Invalid (input|string)/.test(message)) return `The ${label} of ${thing} is not valid`;
  return null;
}

/** The model's sentences that name things by their path or in quotes, said as a person would. */
function modelSentence(message: string, doc: Topology | undefined): string | null {
  let m = /^"(.+)" is already used in (?:namespace "(.+)"|the lab's root namespace) by .+$/.exec(message);
  if (m) return `${m[2] ?? 'the lab’s root'} already has an interface named ${m[1]}`;
  m = /^"(.+)" is already used by (namespaces|bridges)\[\d+\]$/.exec(message);
  if (m) return `There is already a namespace or bridge named ${m[1]}`;
  m = /^(a namespace|a bridge) named "(.+)" already exists$/.exec(message);
  if (m) return `There is already ${m[1]} named ${m[2]}`;
  m = /^(\S+) is already on (\S+) in (?:namespace "(.+)"|the lab's root namespace)$/.exec(message);
  if (m) {
    const holder = documentThing(doc, parsePath(m[2]!)) ?? 'another interface';
    return `${m[1]} is already on ${holder.replace(/ in .*$/, '')} in ${m[3] ?? 'the lab’s root'}`;
  }
  m = /^no veth end "(.+)" on "(.+)"$/.exec(message);
  if (m) return `${place(m[2]!)} has no veth end named ${m[1]}`;
  m = /^no (namespace or bridge|namespace|bridge) named "([^"]+)"(.*)$/.exec(message);
  if (m) return `There is no ${m[1]} named ${m[2]}${m[3]}`;
  return null;
}

/** One issue of the model as a sentence about what it names. */
export function issueSentence(issue: ValidationIssue, edits: readonly unknown[], doc?: Topology): string {
  const keys = parsePath(issue.path);
  const inEdit = keys[0] === 'edits' || keys[0] === 'edit';
  const index = keys[0] === 'edits' && typeof keys[1] === 'number' ? keys[1] : 0;
  const rest = inEdit ? keys.slice(keys[0] === 'edits' ? 2 : 1) : keys;
  const edit = inEdit ? edits[index] : undefined;
  const thing = inEdit ? editThing(edit, rest) : (documentThing(doc, keys) ?? 'the topology');
  const label = fieldLabel(edit, rest);
  const value = inEdit ? at(edit, rest) : undefined;
  const said = modelSentence(issue.message, doc) ?? zodSentence(issue.message, thing, label);
  if (said) return sentence(said);
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  const message = issue.message;
  // '"10.0.1.300/24" is not…', '70000 is outside…': the value leads; name what it is.
  for (const lead of [`"${text}" `, `${text} `])
    if (text !== '' && message.startsWith(lead))
      return sentence(`The ${label} ${text} ${message.slice(lead.length)}`);
  // Fragments of names.ts: "16 bytes, at most 15", "contains whitespace", "empty; …". A name
  // is the thing itself ("the interface name abc…"); any other field is the thing's.
  const namesItself = ['ifname', 'name'].includes(String(rest.at(-1)));
  const subject = `The ${label}${text ? ` ${text}` : ''}${namesItself ? '' : ` of ${thing}`}`;
  if (/^(\d|empty)/.test(message)) return sentence(`${subject} is ${message}`);
  if (/^(contains|starts|ends|may|must|has|is|would|carries|names)\b/.test(message))
    return sentence(`${subject} ${message}`);
  return sentence(`${capital(thing)}: ${message}`);
}

const detailOf = (issues: readonly ValidationIssue[]) =>
  issues.map((i) => `${i.path}: ${i.message}`).join('; ');

/** The model's refusal of edits, as the page shows it: the first issue's sentence, all of them in the detail. */
export function explainIssues(
  issues: readonly ValidationIssue[],
  edits: readonly unknown[],
  doc?: Topology,
): Problem {
  const [first] = issues;
  if (!first) return { message: 'The change was refused.', detail: null };
  const more = issues.length - 1;
  const message = issueSentence(first, edits, doc);
  return {
    message: more > 0 ? `${message} (and ${more} more ${more === 1 ? 'problem' : 'problems'})` : message,
    detail: detailOf(issues),
  };
}

/** The writer's ERR_INVALID text, "path: message; path: message", back into issues (null if it is not that). */
export function parseIssues(text: string): ValidationIssue[] | null {
  const parts = text.split(/; (?=[\w]+(?:\[\d+\]|\.\w+)*: )/);
  const issues = parts.map((p) => /^((?:edits?|namespaces|bridges|links|root)[\w.[\]]*): (.+)$/s.exec(p));
  if (issues.some((m) => m === null)) return null;
  return issues.map((m) => ({ path: m![1]!, message: m![2]! }));
}

/** The agent's own words as a sentence; one that starts with a name is introduced. */
const agentSaid = (text: string) => {
  const s = sentence(text);
  return /^[A-Z0-9]/.test(s) ? s : `The agent refused it: ${s}`;
};

const SAID: Record<string, string> = {
  [ErrorCode.badMessage]:
    'The agent could not read what this page sent; nothing was changed. Reload the page',
  [ErrorCode.forbidden]: 'This page is a viewer: it cannot change the lab',
  [ErrorCode.staleVersion]:
    'Someone changed the topology first; nothing was changed. The canvas shows the current version: try again',
  [ErrorCode.rateLimited]: 'Too many messages at once: the agent dropped some. Wait a moment and try again',
  [ErrorCode.busy]: 'The agent is busy with other edits; nothing was changed. Try again in a moment',
  [ErrorCode.saveFailed]:
    'The agent could not save the topology; nothing was changed, in the document or the kernel',
  [ErrorCode.internal]: 'The agent failed to handle this change; its log says more',
};

/** The agent's `rejected` (or `error`) for these edits, as the page shows it. */
export function explainRejection(
  reply: { code: string; message: string; path: string | null },
  edits: readonly unknown[],
  doc?: Topology,
): Problem {
  const detail = `${reply.code}${reply.path ? ` at ${reply.path}` : ''}: ${reply.message}`;
  if (reply.code === ErrorCode.invalid) {
    const issues =
      parseIssues(reply.message) ?? (reply.path ? [{ path: reply.path, message: reply.message }] : null);
    if (issues) return { message: explainIssues(issues, edits, doc).message, detail };
    return { message: agentSaid(reply.message), detail };
  }
  // The planner's words name the thing already ('interface "veth0" in namespace "ns0" exists…').
  if (reply.code === ErrorCode.conflict)
    return { message: agentSaid(`${reply.message}; nothing was changed`), detail };
  return { message: agentSaid(SAID[reply.code] ?? reply.message), detail };
}

/** A refusal as the inspector keeps it: its sentence and detail. */
export const problemOf = (r: { message: string; detail?: string | null | undefined }): Problem => ({
  message: r.message,
  detail: r.detail ?? null,
});

/**
 * A failed command, said as a sentence about where and why ("The kernel refused a command in ns1
 * (address missing): RTNETLINK answers: File exists."), the command and its exit code on a
 * detail line under it (panels/FailureBanner.tsx).
 */
export function failureSentence(
  r: Pick<CommandRecord, 'context' | 'reason' | 'exitCode' | 'stderr'>,
): string {
  const where = r.context === ROOT ? 'the lab’s root' : r.context;
  const said = r.stderr.trim().split('\n')[0]?.trim() ?? '';
  const why = said === '' ? `it ended with exit code ${r.exitCode}` : said;
  return `The kernel refused a command in ${where}${r.reason ? ` (${r.reason})` : ''}: ${/[.!?]$/.test(why) ? why : `${why}.`}`;
}
