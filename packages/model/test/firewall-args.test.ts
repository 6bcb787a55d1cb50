import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_CHAINS,
  BUILTIN_TARGETS,
  CT_ORDER,
  DSCP_CLASSES,
  DSCP_CLASS_NAMES,
  FirewallRule,
  LOG_FLAGS,
  NEGATABLE,
  REJECT_TYPES,
  RULE_COMMENT,
  TABLES,
  handRuleFromArgs,
  networkOf,
  ruleArgs,
  ruleFromArgs,
  ruleProblem,
  type FirewallRuleInput,
  type Table,
} from '../src';

// ruleArgs writes a rule as iptables prints it; ruleFromArgs reads it back. The two must agree
// for every rule the document takes, or the planner sees a difference on every apply.

const USER_CHAINS = [
  { table: 'filter' as Table, name: 'custom' },
  { table: 'mangle' as Table, name: 'custom' },
  { table: 'nat' as Table, name: 'custom' },
];

/**
 * The rule as iptables keeps it, written independently of ruleFromArgs: networks without host bits,
 * /0 left out, no "all", one-port ranges as the port, states and flags in iptables' order, and the
 * defaults iptables does not print (full masks, icmp-port-unreachable, log level 4) left out.
 */
function canonical(input: FirewallRule): Record<string, unknown> {
  const rule: Record<string, unknown> = { ...input };
  for (const field of ['source', 'destination'] as const) {
    const text = input[field];
    if (text === undefined) continue;
    const [ip, prefix] = text.split('/') as [string, string];
    if (prefix === '0' && !input.not?.includes(field)) delete rule[field];
    else rule[field] = `${networkOf(ip, Number(prefix), 4)}/${prefix}`;
  }
  if (rule.protocol === 'all') delete rule.protocol;
  const port = (p: number | string) => {
    if (typeof p === 'number') return p;
    const [a, b] = p.split(':').map(Number) as [number, number];
    return a === b ? a : `${a}:${b}`;
  };
  if (input.sourcePort !== undefined) rule.sourcePort = port(input.sourcePort);
  if (input.destinationPort !== undefined) rule.destinationPort = port(input.destinationPort);
  if (input.sourcePorts) rule.sourcePorts = input.sourcePorts.map(port);
  if (input.destinationPorts) rule.destinationPorts = input.destinationPorts.map(port);
  if (input.state) rule.state = CT_ORDER.filter((s) => input.state?.includes(s));
  if (input.not) rule.not = NEGATABLE.filter((f) => input.not?.includes(f));
  if (input.logFlags) rule.logFlags = LOG_FLAGS.filter((f) => input.logFlags?.includes(f));
  const full = 0xffffffff;
  for (const field of ['mark', 'connmark'] as const)
    if (input[field]?.mask === full) rule[field] = { value: input[field].value };
  for (const [field, value] of [
    ['setMarkMask', full],
    ['nfMask', full],
    ['ctMask', full],
    ['setTosMask', 0xff],
    ['logLevel', 4],
    ['rejectWith', 'icmp-port-unreachable'],
  ] as const)
    if (rule[field] === value) delete rule[field];
  if (typeof input.setDscp === 'string') rule.setDscp = DSCP_CLASSES[input.setDscp];
  for (const key of Object.keys(rule)) if (rule[key] === undefined) delete rule[key];
  return rule;
}

// --- random rules the document takes -----------------------------------------------------------

const octet = fc.integer({ min: 0, max: 255 });
const ipv4 = fc.tuple(octet, octet, octet, octet).map((parts) => parts.join('.'));
const ipNumber = (ip: string) => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
const network = fc.tuple(ipv4, fc.integer({ min: 0, max: 32 })).map(([ip, prefix]) => `${ip}/${prefix}`);
const portNumber = fc.integer({ min: 0, max: 65535 });
const portSpec = fc.oneof(
  portNumber,
  fc
    .tuple(portNumber, portNumber)
    .map(([a, b]) => `${Math.min(a, b)}:${Math.max(a, b)}`)
    .filter((r) => r !== '0:65535'),
);
const portList = fc.array(portSpec, { minLength: 1, maxLength: 7 });
const ipRange = fc
  .tuple(ipv4, ipv4)
  .map(([a, b]) => (ipNumber(a) <= ipNumber(b) ? `${a}-${b}` : `${b}-${a}`));
const uint32 = fc.integer({ min: 0, max: 0xffffffff });
const byte = fc.integer({ min: 0, max: 255 });
const mask = fc.option(fc.oneof(uint32, fc.constant(0xffffffff)), { nil: undefined });
const markMatch = fc.record({ value: uint32, mask }).map(({ value, mask }) => ({
  value,
  ...(mask === undefined ? {} : { mask }),
}));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
// Letters, digits, spaces and punctuation the prefix allows; never a leading "-" or "!".
const logPrefix = fc
  .stringMatching(/^[A-Za-z0-9 :._=/'()%,;<>@[\]{}|~^&*+?-]{1,29}$/)
  .filter((p) => !/^[-!]/.test(p));

/** Every (table, chain, target) that fits, with the user chains of USER_CHAINS. */
const PLACES = TABLES.flatMap((table) =>
  [...BUILTIN_CHAINS[table], 'custom'].flatMap((chain) =>
    [...BUILTIN_TARGETS, 'custom'].flatMap((target) => {
      const problem = ruleProblem({ table, chain, target } as FirewallRule, USER_CHAINS);
      return problem === null || !['chain', 'target'].includes(problem.field)
        ? [{ table, chain, target }]
        : [];
    }),
  ),
);

const targetOptions: Record<string, fc.Arbitrary<Partial<FirewallRuleInput>>> = {
  REJECT: fc.record({ rejectWith: maybe(fc.constantFrom(...REJECT_TYPES)) }),
  SNAT: fc.record({ toSource: ipv4 }),
  DNAT: fc.record({ toDestination: ipv4, toPort: maybe(fc.integer({ min: 1, max: 65535 })) }),
  MARK: fc.record({ setMark: uint32, setMarkMask: mask }),
  CONNMARK: fc.oneof(
    fc.record({ setMark: uint32, setMarkMask: mask }),
    fc.record({ connmarkAction: fc.constantFrom('save', 'restore'), nfMask: mask, ctMask: mask }),
  ),
  TOS: fc.record({ setTos: byte, setTosMask: maybe(byte) }),
  DSCP: fc.record({
    setDscp: fc.oneof(fc.integer({ min: 0, max: 63 }), fc.constantFrom(...DSCP_CLASS_NAMES)),
  }),
  TTL: fc.oneof(
    fc.record({ ttlSet: byte }),
    fc.record({ ttlInc: fc.integer({ min: 1, max: 255 }) }),
    fc.record({ ttlDec: fc.integer({ min: 1, max: 255 }) }),
  ),
  LOG: fc.record({
    logPrefix: maybe(logPrefix),
    logLevel: maybe(fc.integer({ min: 0, max: 7 })),
    logFlags: maybe(fc.shuffledSubarray([...LOG_FLAGS], { minLength: 1 })),
  }),
};

const matches = fc.record({
  protocol: maybe(fc.constantFrom('tcp', 'udp', 'icmp', 'all')),
  source: maybe(network),
  destination: maybe(network),
  inInterface: maybe(fc.constantFrom('eth0', 'veth-1', 'br0.10')),
  outInterface: maybe(fc.constantFrom('eth1', 'wan')),
  sourcePort: maybe(portSpec),
  destinationPort: maybe(portSpec),
  sourcePorts: maybe(portList),
  destinationPorts: maybe(portList),
  icmpType: maybe(
    fc.oneof(
      fc.integer({ min: 0, max: 254 }),
      fc.tuple(fc.integer({ min: 0, max: 254 }), byte).map(([t, c]) => `${t}/${c}`),
    ),
  ),
  sourceRange: maybe(ipRange),
  destinationRange: maybe(ipRange),
  mark: maybe(markMatch),
  connmark: maybe(markMatch),
  state: maybe(fc.subarray([...CT_ORDER], { minLength: 1 })),
  negate: fc.shuffledSubarray([...NEGATABLE]),
});

/** A random rule that passes the schema and ruleProblem (matches made to fit their protocol). */
const validRule: fc.Arbitrary<FirewallRule> = fc
  .tuple(fc.constantFrom(...PLACES), matches)
  .chain(([place, m]) =>
    (targetOptions[place.target] ?? fc.constant({})).map((options) => {
      const { negate, ...given } = m;
      const input: Record<string, unknown> = { ...place, ...given, ...options };
      const ported = m.protocol === 'tcp' || m.protocol === 'udp';
      for (const f of ['sourcePort', 'destinationPort', 'sourcePorts', 'destinationPorts'] as const)
        if (!ported) delete input[f];
      if (m.protocol !== 'icmp') delete input.icmpType;
      if (!ported) delete input.toPort;
      if (input.rejectWith === 'tcp-reset' && m.protocol !== 'tcp') delete input.rejectWith;
      if (['OUTPUT', 'POSTROUTING'].includes(place.chain)) delete input.inInterface;
      if (['PREROUTING', 'INPUT'].includes(place.chain)) delete input.outInterface;
      for (const key of Object.keys(input)) if (input[key] === undefined) delete input[key];
      const not = negate.filter(
        (f) =>
          input[f] !== undefined &&
          !(f === 'protocol' && (m.protocol === 'all' || ported || m.protocol === 'icmp')) &&
          !((f === 'source' || f === 'destination') && String(input[f]).endsWith('/0')),
      );
      if (not.length > 0) input.not = not;
      return FirewallRule.parse(input);
    }),
  )
  .filter((rule) => ruleProblem(rule, USER_CHAINS) === null);

// Generous: fast-check's runs take seconds on a busy two-core machine.
describe('ruleFromArgs reads back what ruleArgs writes', { timeout: 60_000 }, () => {
  it('for random valid rules: the canonical rule, rendered to the same words', () => {
    fc.assert(
      fc.property(validRule, (rule) => {
        const args = ruleArgs(rule);
        const back = ruleFromArgs(rule.table, rule.chain, args);
        expect(back, args.join(' ')).toEqual(canonical(rule));
        expect(ruleArgs(back as FirewallRule)).toEqual(args);
      }),
      { numRuns: 1000 },
    );
  });

  it('for random valid rules made by hand (no lab comment): the same rule', () => {
    fc.assert(
      fc.property(validRule, (rule) => {
        const args = ruleArgs(rule);
        const at = args.indexOf('comment') - 1;
        const hand = [...args.slice(0, at), ...args.slice(at + 4)];
        expect(handRuleFromArgs(rule.table, rule.chain, hand)).toEqual(canonical(rule));
      }),
      { numRuns: 500 },
    );
  });

  it.each<FirewallRuleInput>([
    { chain: 'INPUT', target: 'ACCEPT' },
    { chain: 'INPUT', protocol: 'all', source: '10.0.1.77/24', target: 'DROP' },
    { chain: 'FORWARD', source: '10.0.1.5/32', destination: '0.0.0.0/1', target: 'RETURN' },
    { chain: 'INPUT', source: '0.0.0.0/0', destination: '127.0.0.0/8', target: 'ACCEPT' },
    { chain: 'INPUT', destination: '224.0.0.0/4', target: 'DROP' },
    { chain: 'INPUT', protocol: 'udp', sourcePort: 53, target: 'ACCEPT' },
    { chain: 'OUTPUT', protocol: 'tcp', destinationPort: '22:22', outInterface: 'eth0', target: 'REJECT' },
    { chain: 'INPUT', protocol: 'tcp', destinationPort: '080:0090', target: 'ACCEPT' },
    { chain: 'INPUT', state: ['RELATED', 'INVALID', 'NEW', 'ESTABLISHED'], target: 'ACCEPT' },
    { chain: 'FORWARD', target: 'LOG', logPrefix: 'DROP IN: ', logLevel: 4 },
    { chain: 'FORWARD', target: 'LOG', logLevel: 7, logFlags: ['uid', 'tcp-sequence', 'macdecode'] },
    { table: 'nat', chain: 'OUTPUT', protocol: 'tcp', target: 'DNAT', toDestination: '10.0.0.1', toPort: 8 },
    { table: 'nat', chain: 'INPUT', target: 'SNAT', toSource: '10.0.0.1' },
    { table: 'mangle', chain: 'POSTROUTING', target: 'MARK', setMark: 4294967295 },
    { table: 'mangle', chain: 'FORWARD', target: 'MARK', setMark: 0x10, setMarkMask: 0xff },
    { table: 'filter', chain: 'FORWARD', target: 'MARK', setMark: 1 },
    { table: 'mangle', chain: 'OUTPUT', target: 'CONNMARK', connmarkAction: 'save', ctMask: 0xf0 },
    { table: 'mangle', chain: 'OUTPUT', target: 'CONNMARK', connmarkAction: 'restore' },
    { table: 'mangle', chain: 'PREROUTING', target: 'TTL', ttlSet: 64 },
    { table: 'mangle', chain: 'FORWARD', target: 'TTL', ttlDec: 1 },
    { table: 'mangle', chain: 'OUTPUT', target: 'TOS', setTos: 0x10, setTosMask: 0x3f },
    { table: 'mangle', chain: 'OUTPUT', target: 'DSCP', setDscp: 'AF41' },
    { chain: 'INPUT', protocol: 'tcp', target: 'REJECT', rejectWith: 'tcp-reset' },
    { chain: 'INPUT', protocol: 'tcp', destinationPorts: [22, 80, '8000:8080', '443:443'], target: 'ACCEPT' },
    { chain: 'INPUT', protocol: 'udp', sourcePorts: [53], destinationPorts: [53, 5353], target: 'ACCEPT' },
    { chain: 'INPUT', protocol: 'icmp', icmpType: '3/1', not: ['icmpType'], target: 'ACCEPT' },
    {
      chain: 'INPUT',
      sourceRange: '10.0.0.1-10.0.0.9',
      destinationRange: '10.0.1.1-10.0.1.1',
      target: 'DROP',
    },
    {
      chain: 'INPUT',
      mark: { value: 1, mask: 0xff },
      connmark: { value: 2, mask: 0xffffffff },
      target: 'DROP',
    },
    {
      chain: 'FORWARD',
      source: '10.0.0.0/8',
      inInterface: 'eth0',
      outInterface: 'eth1',
      protocol: 'tcp',
      destinationPort: 22,
      state: ['NEW'],
      not: ['state', 'inInterface', 'source', 'destinationPort', 'outInterface'],
      target: 'DROP',
    },
    { table: 'raw', chain: 'OUTPUT', target: 'NOTRACK' },
    { table: 'raw', chain: 'PREROUTING', target: 'CT' },
  ])('reads back %j', (input) => {
    const rule = FirewallRule.parse(input);
    expect(ruleProblem(rule, [])).toBeNull();
    const back = ruleFromArgs(rule.table, rule.chain, ruleArgs(rule));
    expect(back).toEqual(canonical(rule));
    expect(ruleArgs(back as FirewallRule)).toEqual(ruleArgs(rule));
  });
});

describe('ruleArgs writes what iptables prints', () => {
  /** The words without the lab's comment, as a rule typed by hand is printed. */
  const words = (input: FirewallRuleInput) => {
    const args = ruleArgs(FirewallRule.parse(input));
    const at = args.indexOf('comment') - 1;
    return [...args.slice(0, at), ...args.slice(at + 4)].join(' ');
  };
  it.each<[FirewallRuleInput, string]>([
    // The two perpetual differences of old: a one-port range, and a /0 network.
    [
      { chain: 'INPUT', protocol: 'tcp', destinationPort: '22:22', target: 'ACCEPT' },
      '-p tcp -m tcp --dport 22 -j ACCEPT',
    ],
    [{ chain: 'INPUT', source: '0.0.0.0/0', destination: '0.0.0.0/0', target: 'ACCEPT' }, '-j ACCEPT'],
    [
      {
        chain: 'INPUT',
        source: '10.0.0.0/8',
        destination: '10.1.0.0/16',
        inInterface: 'eth0',
        not: ['source', 'destination', 'inInterface'],
        target: 'ACCEPT',
      },
      '! -s 10.0.0.0/8 ! -d 10.1.0.0/16 ! -i eth0 -j ACCEPT',
    ],
    [{ chain: 'FORWARD', protocol: 'tcp', not: ['protocol'], target: 'ACCEPT' }, '! -p tcp -j ACCEPT'],
    [
      {
        chain: 'INPUT',
        protocol: 'tcp',
        sourcePort: 22,
        destinationPort: '80:90',
        not: ['sourcePort', 'destinationPort'],
        target: 'ACCEPT',
      },
      '-p tcp -m tcp ! --sport 22 ! --dport 80:90 -j ACCEPT',
    ],
    [
      {
        chain: 'INPUT',
        protocol: 'tcp',
        sourcePorts: [1],
        destinationPorts: [22, '80:80', '8000:8080'],
        not: ['destinationPorts'],
        target: 'ACCEPT',
      },
      '-p tcp -m multiport --sports 1 -m multiport ! --dports 22,80,8000:8080 -j ACCEPT',
    ],
    [
      { chain: 'INPUT', protocol: 'icmp', icmpType: 8, target: 'ACCEPT' },
      '-p icmp -m icmp --icmp-type 8 -j ACCEPT',
    ],
    [
      {
        chain: 'INPUT',
        sourceRange: '10.0.0.1-10.0.0.9',
        destinationRange: '10.0.1.1-10.0.1.1',
        not: ['sourceRange', 'destinationRange'],
        target: 'ACCEPT',
      },
      '-m iprange ! --src-range 10.0.0.1-10.0.0.9 ! --dst-range 10.0.1.1-10.0.1.1 -j ACCEPT',
    ],
    [{ chain: 'INPUT', mark: { value: 1 }, target: 'ACCEPT' }, '-m mark --mark 0x1 -j ACCEPT'],
    [
      { chain: 'INPUT', mark: { value: 1, mask: 255 }, not: ['mark'], target: 'ACCEPT' },
      '-m mark ! --mark 0x1/0xff -j ACCEPT',
    ],
    [
      { chain: 'INPUT', connmark: { value: 2, mask: 15 }, not: ['connmark'], target: 'ACCEPT' },
      '-m connmark ! --mark 0x2/0xf -j ACCEPT',
    ],
    [
      { chain: 'INPUT', state: ['NEW', 'ESTABLISHED'], not: ['state'], target: 'ACCEPT' },
      '-m conntrack ! --ctstate NEW,ESTABLISHED -j ACCEPT',
    ],
    [{ table: 'mangle', chain: 'PREROUTING', target: 'TTL', ttlSet: 64 }, '-j TTL --ttl-set 64'],
    [{ table: 'mangle', chain: 'PREROUTING', target: 'TTL', ttlInc: 1 }, '-j TTL --ttl-inc 1'],
    [{ table: 'mangle', chain: 'OUTPUT', target: 'TOS', setTos: 0x10 }, '-j TOS --set-tos 0x10/0xff'],
    [
      { table: 'mangle', chain: 'OUTPUT', target: 'TOS', setTos: 0, setTosMask: 0xf0 },
      '-j TOS --set-tos 0x00/0xf0',
    ],
    [{ table: 'mangle', chain: 'OUTPUT', target: 'DSCP', setDscp: 10 }, '-j DSCP --set-dscp 0x0a'],
    [{ table: 'mangle', chain: 'OUTPUT', target: 'DSCP', setDscp: 'EF' }, '-j DSCP --set-dscp 0x2e'],
    [{ table: 'mangle', chain: 'OUTPUT', target: 'MARK', setMark: 1 }, '-j MARK --set-xmark 0x1/0xffffffff'],
    [
      { table: 'mangle', chain: 'OUTPUT', target: 'MARK', setMark: 15, setMarkMask: 0 },
      '-j MARK --set-xmark 0xf/0x0',
    ],
    [
      { table: 'mangle', chain: 'OUTPUT', target: 'CONNMARK', connmarkAction: 'save' },
      '-j CONNMARK --save-mark --nfmask 0xffffffff --ctmask 0xffffffff',
    ],
    [
      {
        table: 'mangle',
        chain: 'OUTPUT',
        target: 'CONNMARK',
        connmarkAction: 'restore',
        nfMask: 0xff,
        ctMask: 0xff,
      },
      '-j CONNMARK --restore-mark --nfmask 0xff --ctmask 0xff',
    ],
    [
      { table: 'mangle', chain: 'OUTPUT', target: 'CONNMARK', setMark: 5, setMarkMask: 0xff },
      '-j CONNMARK --set-xmark 0x5/0xff',
    ],
    [{ chain: 'INPUT', target: 'REJECT' }, '-j REJECT --reject-with icmp-port-unreachable'],
    [
      { chain: 'INPUT', protocol: 'tcp', target: 'REJECT', rejectWith: 'tcp-reset' },
      '-p tcp -j REJECT --reject-with tcp-reset',
    ],
    [{ chain: 'INPUT', target: 'LOG', logLevel: 4 }, '-j LOG'],
    [
      {
        chain: 'INPUT',
        target: 'LOG',
        logPrefix: 'p',
        logLevel: 1,
        logFlags: ['macdecode', 'uid', 'tcp-sequence'],
      },
      '-j LOG --log-prefix p --log-level 1 --log-tcp-sequence --log-uid --log-macdecode',
    ],
    [{ table: 'raw', chain: 'PREROUTING', target: 'NOTRACK' }, '-j NOTRACK'],
    [{ table: 'raw', chain: 'PREROUTING', target: 'CT' }, '-j CT --notrack'],
  ])('%j → %s', (input, printed) => {
    expect(words(input)).toBe(printed);
  });

  it('keeps a log prefix with spaces as one word', () => {
    const args = ruleArgs(FirewallRule.parse({ chain: 'INPUT', target: 'LOG', logPrefix: 'DROP IN: ' }));
    expect(args.slice(-2)).toEqual(['--log-prefix', 'DROP IN: ']);
  });
});

describe('ruleFromArgs refuses what netcanvas does not write', () => {
  const tail = ['-m', 'comment', '--comment', RULE_COMMENT, '-j'];
  it.each<[string, string[]]>([
    ['no comment', ['-j', 'ACCEPT']],
    ['another comment', ['-m', 'comment', '--comment', 'mine', '-j', 'ACCEPT']],
    [
      'a negation of what cannot be negated',
      ['-m', 'comment', '!', '--comment', RULE_COMMENT, '-j', 'ACCEPT'],
    ],
    ['an unknown match', ['-p', 'tcp', '-m', 'tcp', '--tcp-flags', 'SYN', 'SYN', ...tail, 'ACCEPT']],
    ['options out of order', ['-i', 'eth0', '-s', '10.0.0.0/8', ...tail, 'ACCEPT']],
    [
      'matches out of order',
      ['-m', 'conntrack', '--ctstate', 'NEW', '-m', 'mark', '--mark', '0x1', ...tail, 'ACCEPT'],
    ],
    [
      'multiport dports before sports',
      [
        '-p',
        'tcp',
        '-m',
        'multiport',
        '--dports',
        '1',
        '-m',
        'multiport',
        '--sports',
        '2',
        ...tail,
        'ACCEPT',
      ],
    ],
    ['a leading zero', ['-p', 'tcp', '-m', 'tcp', '--dport', '022', ...tail, 'ACCEPT']],
    ['a one-port range', ['-p', 'tcp', '-m', 'tcp', '--dport', '22:22', ...tail, 'ACCEPT']],
    ['a host address', ['-s', '10.0.0.1/8', ...tail, 'ACCEPT']],
    ['the default REJECT left out', [...tail, 'REJECT']],
    ['an unknown reject type', [...tail, 'REJECT', '--reject-with', 'icmp-echo-reply']],
    ['a mark not in hex', [...tail, 'MARK', '--set-xmark', '1/0xff']],
    ['a mark without its mask', [...tail, 'MARK', '--set-xmark', '0x1']],
    [
      'a mark match with the full mask printed',
      ['-m', 'mark', '--mark', '0x1/0xffffffff', ...tail, 'ACCEPT'],
    ],
    ['a TOS in one digit', [...tail, 'TOS', '--set-tos', '0x1/0xff']],
    ['a DSCP as a class', [...tail, 'DSCP', '--set-dscp-class', 'EF']],
    ['the default log level printed', [...tail, 'LOG', '--log-level', '4']],
    ['log options out of order', [...tail, 'LOG', '--log-level', '1', '--log-prefix', 'x']],
    ['a connmark save without masks', [...tail, 'CONNMARK', '--save-mark']],
    ['CT without --notrack', [...tail, 'CT']],
    ['a trailing word', [...tail, 'ACCEPT', 'extra']],
    ['a repeated option', [...tail, 'TTL', '--ttl-set', '1', '--ttl-set', '1']],
    ['no target', ['-m', 'comment', '--comment', RULE_COMMENT]],
    ['a bad interface', ['-i', '-x', ...tail, 'ACCEPT']],
    ['ports without the match', ['-p', 'tcp', '--dport', '22', ...tail, 'ACCEPT']],
    ['a reversed range', ['-m', 'iprange', '--src-range', '10.0.0.9-10.0.0.1', ...tail, 'ACCEPT']],
  ])('%s', (_why, args) => {
    expect(ruleFromArgs('filter', 'INPUT', args)).toBeNull();
  });

  it('refuses a table iptables-save names that the document has not', () => {
    expect(ruleFromArgs('security', 'INPUT', [...tail, 'ACCEPT'])).toBeNull();
  });

  it('reads a hand rule whose log prefix is "-j" up to its own target', () => {
    expect(handRuleFromArgs('filter', 'INPUT', ['-j', 'LOG', '--log-prefix', '-j'])).toBeNull();
    expect(handRuleFromArgs('filter', 'INPUT', ['-j', 'LOG', '--log-prefix', 'x -j'])).toEqual({
      table: 'filter',
      chain: 'INPUT',
      target: 'LOG',
      logPrefix: 'x -j',
    });
  });
});
