import { describe, expect, it } from 'vitest';
import type { Step } from '@netcanvas/model';
import { alreadyGone, batchLine, splitAfterLinkDeletes, waves } from '../src/apply';
import * as cmd from '../src/commands';

const rootStep = (n: number): Step => cmd.netnsAdd(`r${n}`);
const nsStep = (context: string, dev = 'veth0'): Step => cmd.linkSetUp(context, dev, true, 'is down');

describe('waves', () => {
  it('puts consecutive root steps in one wave and consecutive namespace steps in the next', () => {
    const steps = [
      cmd.linkDel('ns0', 'old0', 'leftover'),
      cmd.linkDel('ns1', 'old1', 'leftover'),
      rootStep(1),
      rootStep(2),
      nsStep('ns0'),
      nsStep('ns1'),
      nsStep('ns0', 'lo'),
    ];
    expect(waves(steps)).toEqual([steps.slice(0, 2), steps.slice(2, 4), steps.slice(4)]);
  });

  it('starts a new wave each time steps switch between the root and namespaces', () => {
    const a = rootStep(1);
    const b = nsStep('ns0');
    const c = rootStep(2);
    const d = nsStep('ns1');
    expect(waves([a, b, c, d])).toEqual([[a], [b], [c], [d]]);
  });

  it('keeps steps of different namespaces together in one wave, in their order', () => {
    const steps = [nsStep('ns2'), nsStep('ns0'), nsStep('ns2', 'lo')];
    expect(waves(steps)).toEqual([steps]);
  });

  it('makes no wave from no steps', () => {
    expect(waves([])).toEqual([]);
  });
});

describe('batchLine', () => {
  it('strips ip from a root step', () => {
    expect(batchLine(cmd.netnsAdd('ns0'))).toBe('netns add ns0');
    expect(batchLine(cmd.linkSetMaster('root', 'vb1', 'br0', 'port'))).toBe('link set dev vb1 master br0');
  });

  it('strips ip -n NS from a namespace step', () => {
    expect(batchLine(cmd.addrAdd('ns0', 'veth0', '10.0.1.1/24'))).toBe('addr add 10.0.1.1/24 dev veth0');
    expect(batchLine(cmd.addrAdd('ns1', 'veth1', '2001:db8::1/64'))).toBe(
      'addr add 2001:db8::1/64 dev veth1 nodad',
    );
  });

  it('keeps a veth pair in one line with both netns arguments', () => {
    expect(batchLine(cmd.vethAdd({ context: 'ns0', ifname: 'a' }, { context: 'ns1', ifname: 'b' }))).toBe(
      'link add name a netns ns0 group 28259 type veth peer name b netns ns1 group 28259',
    );
  });

  it("refuses a step that is not an ip command (iptables in the lab's root runs on its own)", () => {
    expect(() => batchLine(cmd.iptables('root', 'filter', ['-P', 'INPUT', 'DROP'], 'x'))).toThrow(
      /not an ip command/,
    );
  });

  it('renders sysctl in a namespace as a netns exec line of the root', () => {
    expect(batchLine(cmd.setForwarding('r1', true))).toBe('netns exec r1 sysctl -q -w net.ipv4.ip_forward=1');
  });

  it.each([
    ['a space', 'DROP IN: ', '"DROP IN: "'],
    ['a tab', 'a\tb', '"a\tb"'],
    ['a single quote', "it's", `"it's"`],
    ['a double quote and a space', 'say "hi"', `'say "hi"'`],
  ])('quotes a word with %s for ip’s own tokenizer', (_what, word, quoted) => {
    const step = cmd.iptables('r1', 'filter', ['-A', 'INPUT', '-j', 'LOG', '--log-prefix', word], 'x');
    expect(batchLine(step)).toBe(`netns exec r1 iptables -A INPUT -j LOG --log-prefix ${quoted}`);
  });

  it.each([
    ['both quotes and a space', `it's "x"`],
    ['an empty argument', ''],
    ['a newline, which would start a second command', 'veth0\nnetns del ns1'],
    ['a backslash', 'veth\\0'],
    ['a "#", which starts a comment', 'veth#0'],
  ])('refuses an argument with %s', (_what, dev) => {
    expect(() => batchLine(cmd.linkSetUp('root', dev, true, 'x'))).toThrow(/unsafe batch argument/);
    expect(() => batchLine(cmd.linkSetUp('ns0', dev, true, 'x'))).toThrow(/unsafe batch argument/);
  });
});

describe('alreadyGone', () => {
  const outcome = (step: Step, stderr: string) => ({
    step,
    exitCode: 1,
    stderr,
    durationMs: 0,
  });
  it('counts a delete of something already gone as done', () => {
    expect(alreadyGone(outcome(cmd.linkDel('ns0', 'veth0', 'x'), 'Cannot find device "veth0"'))).toBe(true);
    expect(
      alreadyGone(
        outcome(
          cmd.netnsDel('ns1'),
          'Cannot remove namespace file "/run/netns/ns1": No such file or directory',
        ),
      ),
    ).toBe(true);
    expect(
      alreadyGone(
        outcome(cmd.addrDel('a', 'x', '10.0.0.1/24'), 'RTNETLINK answers: Cannot assign requested address'),
      ),
    ).toBe(true);
    // A secondary address the kernel deleted with its primary (a reset removing an address added by hand).
    expect(
      alreadyGone(outcome(cmd.addrDel('ns1', 'veth1', '10.0.1.50/24'), 'Error: ipv4: Address not found.')),
    ).toBe(true);
  });
  it('does not excuse a failed add, or a delete that failed for another reason', () => {
    expect(alreadyGone(outcome(cmd.netnsAdd('ns1'), 'File exists'))).toBe(false);
    expect(alreadyGone(outcome(cmd.linkSetUp('ns0', 'veth0', true, 'x'), 'Cannot find device "veth0"'))).toBe(
      false,
    );
    expect(alreadyGone(outcome(cmd.linkDel('root', 'br0', 'x'), 'Operation not permitted'))).toBe(false);
  });
});

describe('splitAfterLinkDeletes', () => {
  it('cuts a wave after its last link del, so sessions are renewed before what follows', () => {
    const del = cmd.linkDel('root', 'r0', 'x');
    const add = cmd.netnsAdd('n1');
    expect(splitAfterLinkDeletes([del, add])).toEqual([[del], [add]]);
    expect(splitAfterLinkDeletes([add])).toEqual([[add]]);
    expect(splitAfterLinkDeletes([add, del])).toEqual([[add, del]]);
  });
});
