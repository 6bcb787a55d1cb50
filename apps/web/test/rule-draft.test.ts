import { FirewallRule, type FirewallRuleInput } from '@netcanvas/model';
import { describe, expect, it } from 'vitest';
import { draftOf, ruleOf, type RuleDraft } from '../src/dialogs/rule-draft';

const rule = (input: FirewallRuleInput) => FirewallRule.parse(input);
const edit = (input: FirewallRuleInput, change: Partial<RuleDraft>) =>
  ruleOf({ ...draftOf(rule(input)), ...change });

describe('the rule form’s draft', () => {
  it.each<FirewallRuleInput>([
    { chain: 'INPUT', target: 'ACCEPT' },
    {
      chain: 'FORWARD',
      protocol: 'tcp',
      source: '10.0.0.0/8',
      inInterface: 'eth0',
      sourcePort: '1024:65535',
      destinationPort: 22,
      sourcePorts: [53],
      destinationPorts: [22, 80, '8000:8080'],
      sourceRange: '10.0.0.1-10.0.0.9',
      mark: { value: 1, mask: 0xff },
      connmark: { value: 2 },
      state: ['NEW', 'ESTABLISHED'],
      not: ['source', 'destinationPorts', 'state', 'mark'],
      target: 'REJECT',
      rejectWith: 'tcp-reset',
    },
    { chain: 'INPUT', protocol: 'icmp', icmpType: '3/1', not: ['icmpType', 'protocol'], target: 'DROP' },
    { chain: 'INPUT', target: 'LOG', logPrefix: 'DROP IN: ', logLevel: 7, logFlags: ['uid', 'ip-options'] },
    { table: 'mangle', chain: 'PREROUTING', target: 'TTL', ttlSet: 64 },
    { table: 'mangle', chain: 'FORWARD', target: 'TTL', ttlDec: 1 },
    { table: 'mangle', chain: 'OUTPUT', target: 'TOS', setTos: 0x10, setTosMask: 0x3f },
    { table: 'mangle', chain: 'OUTPUT', target: 'DSCP', setDscp: 'AF41' },
    { table: 'mangle', chain: 'OUTPUT', target: 'MARK', setMark: 0xff00, setMarkMask: 0xff00 },
    { table: 'mangle', chain: 'OUTPUT', target: 'CONNMARK', connmarkAction: 'restore', nfMask: 0xff },
    { table: 'mangle', chain: 'OUTPUT', target: 'CONNMARK', setMark: 5 },
    {
      table: 'nat',
      chain: 'PREROUTING',
      protocol: 'tcp',
      target: 'DNAT',
      toDestination: '10.0.0.1',
      toPort: 80,
    },
  ])('gives back %j', (input) => {
    const { rule: back, unread } = ruleOf(draftOf(rule(input)));
    expect(unread).toEqual({});
    expect(FirewallRule.parse(back)).toEqual(rule(input));
  });

  it('reads names and hex as iptables does, and keeps the spaces of a log prefix', () => {
    const mangle = { table: 'mangle', chain: 'OUTPUT' } as const;
    expect(
      edit({ ...mangle, target: 'ACCEPT' }, { target: 'TOS', setTos: 'Minimize-Delay' }).rule,
    ).toMatchObject({
      setTos: 0x10,
      setTosMask: 0x3f,
    });
    expect(edit({ ...mangle, target: 'ACCEPT' }, { target: 'DSCP', setDscp: 'ef' }).rule.setDscp).toBe('EF');
    expect(edit({ ...mangle, target: 'ACCEPT' }, { target: 'MARK', setMark: '0xFF' }).rule.setMark).toBe(255);
    expect(
      edit({ chain: 'INPUT', target: 'ACCEPT' }, { protocol: 'icmp', icmpType: 'echo-request' }).rule
        .icmpType,
    ).toBe(8);
    expect(
      edit({ chain: 'INPUT', target: 'ACCEPT' }, { target: 'LOG', logPrefix: ' in: ' }).rule.logPrefix,
    ).toBe(' in: ');
  });

  it('leaves out what is not on the screen: another target’s options, ports without tcp or udp', () => {
    const { rule: back } = edit(
      { chain: 'INPUT', protocol: 'tcp', destinationPort: 22, target: 'LOG', logPrefix: 'x' },
      { protocol: 'icmp', target: 'DROP', not: ['destinationPort'] },
    );
    expect(back).toEqual({ table: 'filter', chain: 'INPUT', protocol: 'icmp', target: 'DROP' });
  });

  it('says which field it could not read, and passes other text on for the model to refuse', () => {
    const { rule: back, unread } = edit(
      { chain: 'INPUT', target: 'ACCEPT' },
      { mark: '0x1/', connmark: 'lots' },
    );
    expect(Object.keys(unread)).toEqual(['mark', 'connmark']);
    expect(unread.mark).toMatch(/0x1\/0xff/);
    const ttl = edit(
      { table: 'mangle', chain: 'INPUT', target: 'ACCEPT' },
      { target: 'TTL', ttlMode: 'dec', ttlValue: 'ten' },
    );
    expect(ttl.unread).toEqual({ ttlDec: '"ten" is not a number (decimal, or hex like 0xff)' });
    expect(ttl.rule.ttlDec).toBeUndefined();
    // Ports take ranges: their text is the model's to read.
    expect(
      edit({ chain: 'INPUT', protocol: 'tcp', target: 'ACCEPT' }, { sourcePort: '1-2' }).rule.sourcePort,
    ).toBe('1-2');
    expect(back.mark).toBeUndefined();
  });
});
