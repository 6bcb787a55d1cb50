import { describe, expect, it } from 'vitest';
import type { Step } from '@netcanvas/model';
import * as cmd from '../src/commands';

/** A step as the command log shows it: where, the command, why. */
const shown = ({ context, argv, reason }: Step) => ({ context, argv, reason });

describe('namespace commands', () => {
  it('netnsAdd is ip netns add NAME, in the root, missing by default', () => {
    expect(shown(cmd.netnsAdd('ns0'))).toEqual({
      context: 'root',
      argv: ['ip', 'netns', 'add', 'ns0'],
      reason: 'missing',
    });
    expect(cmd.netnsAdd('ns0', 'why not').reason).toBe('why not');
  });

  it('netnsSetAuto is ip netns set NAME auto', () => {
    expect(cmd.netnsSetAuto('ns0')).toMatchObject({
      context: 'root',
      argv: ['ip', 'netns', 'set', 'ns0', 'auto'],
    });
  });

  it('netnsDel is ip netns del NAME, because it is owned and not in the topology', () => {
    expect(shown(cmd.netnsDel('ns0'))).toEqual({
      context: 'root',
      argv: ['ip', 'netns', 'del', 'ns0'],
      reason: 'owned, not in the topology',
    });
  });
});

describe('link commands', () => {
  it('linkSetUp in the root has no -n', () => {
    expect(shown(cmd.linkSetUp('root', 'br0', true, 'bring up'))).toEqual({
      context: 'root',
      argv: ['ip', 'link', 'set', 'dev', 'br0', 'up'],
      reason: 'bring up',
    });
  });

  it('linkSetUp in a namespace runs with -n NS, up or down', () => {
    expect(shown(cmd.linkSetUp('ns0', 'veth0', true, 'is down'))).toEqual({
      context: 'ns0',
      argv: ['ip', '-n', 'ns0', 'link', 'set', 'dev', 'veth0', 'up'],
      reason: 'is down',
    });
    expect(cmd.linkSetUp('ns0', 'lo', false, 'lo is up').argv).toEqual([
      'ip',
      '-n',
      'ns0',
      'link',
      'set',
      'dev',
      'lo',
      'down',
    ]);
  });

  it('linkSetMtu writes the MTU as a number', () => {
    expect(shown(cmd.linkSetMtu('ns1', 'veth1', 9000, 'MTU drift'))).toEqual({
      context: 'ns1',
      argv: ['ip', '-n', 'ns1', 'link', 'set', 'dev', 'veth1', 'mtu', '9000'],
      reason: 'MTU drift',
    });
  });

  it('linkSetAddress sets the MAC with "address"', () => {
    expect(cmd.linkSetAddress('ns0', 'veth0', '02:00:00:00:00:01', 'MAC drift').argv).toEqual([
      'ip',
      '-n',
      'ns0',
      'link',
      'set',
      'dev',
      'veth0',
      'address',
      '02:00:00:00:00:01',
    ]);
  });

  it('linkSetMaster and linkSetNomaster add and remove a bridge port', () => {
    expect(shown(cmd.linkSetMaster('root', 'vb1', 'br0', 'port of its bridge'))).toEqual({
      context: 'root',
      argv: ['ip', 'link', 'set', 'dev', 'vb1', 'master', 'br0'],
      reason: 'port of its bridge',
    });
    expect(cmd.linkSetNomaster('ns2', 'vb1', 'br0', 'not wanted').argv).toEqual([
      'ip',
      '-n',
      'ns2',
      'link',
      'set',
      'dev',
      'vb1',
      'nomaster',
    ]);
  });

  it('linkDel deletes by dev', () => {
    expect(shown(cmd.linkDel('ns0', 'veth0', 'owned leftover'))).toEqual({
      context: 'ns0',
      argv: ['ip', '-n', 'ns0', 'link', 'del', 'dev', 'veth0'],
      reason: 'owned leftover',
    });
    expect(cmd.linkDel('root', 'br0', 'x').argv).toEqual(['ip', 'link', 'del', 'dev', 'br0']);
  });
});

describe('bridge commands', () => {
  it('bridgeAdd creates the bridge with the ownership group and STP off', () => {
    expect(shown(cmd.bridgeAdd('root', 'br0', { stp: false }))).toEqual({
      context: 'root',
      argv: ['ip', 'link', 'add', 'name', 'br0', 'group', '28259', 'type', 'bridge', 'stp_state', '0'],
      reason: 'missing',
    });
  });

  it('bridgeAdd gives the group and STP as stp_state 1, and no MTU (the planner sets it after)', () => {
    expect(cmd.bridgeAdd('ns0', 'br1', { stp: true }).argv).toEqual([
      'ip',
      '-n',
      'ns0',
      'link',
      'add',
      'name',
      'br1',
      'group',
      '28259',
      'type',
      'bridge',
      'stp_state',
      '1',
    ]);
  });

  it('bridgeSetStp changes stp_state on an existing bridge', () => {
    expect(shown(cmd.bridgeSetStp('root', 'br0', true))).toEqual({
      context: 'root',
      argv: ['ip', 'link', 'set', 'dev', 'br0', 'type', 'bridge', 'stp_state', '1'],
      reason: 'STP drift',
    });
    expect(cmd.bridgeSetStp('ns0', 'br0', false).argv).toEqual([
      'ip',
      '-n',
      'ns0',
      'link',
      'set',
      'dev',
      'br0',
      'type',
      'bridge',
      'stp_state',
      '0',
    ]);
  });
});

describe('vethAdd', () => {
  it('creates a pair between two namespaces from the root, each end directly in its namespace', () => {
    expect(
      shown(cmd.vethAdd({ context: 'ns0', ifname: 'veth0' }, { context: 'ns1', ifname: 'veth1' })),
    ).toEqual({
      context: 'root',
      argv: [
        'ip',
        'link',
        'add',
        'name',
        'veth0',
        'netns',
        'ns0',
        'group',
        '28259',
        'type',
        'veth',
        'peer',
        'name',
        'veth1',
        'netns',
        'ns1',
        'group',
        '28259',
      ],
      reason: 'missing',
    });
  });

  it('keeps a bridge port in the root and sends only the other end away', () => {
    expect(
      shown(cmd.vethAdd({ context: 'root', ifname: 'vb1' }, { context: 'ns2', ifname: 'eth0' })),
    ).toEqual({
      context: 'root',
      argv: [
        'ip',
        'link',
        'add',
        'name',
        'vb1',
        'group',
        '28259',
        'type',
        'veth',
        'peer',
        'name',
        'eth0',
        'netns',
        'ns2',
        'group',
        '28259',
      ],
      reason: 'missing',
    });
  });

  it('creates a pair inside one namespace with -n and no netns arguments', () => {
    expect(shown(cmd.vethAdd({ context: 'ns0', ifname: 'a0' }, { context: 'ns0', ifname: 'a1' }))).toEqual({
      context: 'ns0',
      argv: [
        'ip',
        '-n',
        'ns0',
        'link',
        'add',
        'name',
        'a0',
        'group',
        '28259',
        'type',
        'veth',
        'peer',
        'name',
        'a1',
        'group',
        '28259',
      ],
      reason: 'missing',
    });
  });

  it('sets MTU and MAC per end, on the end they belong to', () => {
    expect(
      cmd.vethAdd(
        { context: 'ns0', ifname: 'veth0', mtu: 9000, mac: '02:00:00:00:00:01' },
        { context: 'ns1', ifname: 'veth1', mtu: 1400 },
      ).argv,
    ).toEqual([
      'ip',
      'link',
      'add',
      'name',
      'veth0',
      'netns',
      'ns0',
      'group',
      '28259',
      'mtu',
      '9000',
      'address',
      '02:00:00:00:00:01',
      'type',
      'veth',
      'peer',
      'name',
      'veth1',
      'netns',
      'ns1',
      'group',
      '28259',
      'mtu',
      '1400',
    ]);
  });
});

describe('address commands', () => {
  it('addrAdd adds an IPv4 address with dev and no nodad', () => {
    expect(shown(cmd.addrAdd('ns0', 'veth0', '10.0.1.1/24'))).toEqual({
      context: 'ns0',
      argv: ['ip', '-n', 'ns0', 'addr', 'add', '10.0.1.1/24', 'dev', 'veth0'],
      reason: 'address missing',
    });
  });

  it('addrAdd adds an IPv6 address with nodad', () => {
    expect(cmd.addrAdd('root', 'br0', '2001:db8::1/64').argv).toEqual([
      'ip',
      'addr',
      'add',
      '2001:db8::1/64',
      'dev',
      'br0',
      'nodad',
    ]);
  });

  it('addrDel removes an address, because it is not in the topology', () => {
    expect(shown(cmd.addrDel('ns1', 'veth1', '10.0.1.2/24'))).toEqual({
      context: 'ns1',
      argv: ['ip', '-n', 'ns1', 'addr', 'del', '10.0.1.2/24', 'dev', 'veth1'],
      reason: 'address not in the topology',
    });
  });
});

describe('route commands, typed routes', () => {
  const ip = (step: Step) => step.argv.join(' ');
  it('put the type before the destination, as ip wants it, and no gateway or device', () => {
    const blackhole = { type: 'blackhole' as const, to: '10.9.0.0/16' };
    expect(ip(cmd.routeAdd('ns1', blackhole))).toBe('ip -n ns1 route add blackhole 10.9.0.0/16 proto 203');
    expect(ip(cmd.routeReplace('ns1', { type: 'unreachable', to: '10.8.0.0/16', metric: 5 }, 'x'))).toBe(
      'ip -n ns1 route replace unreachable 10.8.0.0/16 metric 5 proto 203',
    );
    // An observed route (nulls where the document omits), IPv6's default without a gateway.
    expect(
      ip(cmd.routeDel('ns1', { type: 'prohibit', to: '::/0', via: null, dev: null, metric: 1024 })),
    ).toBe('ip -n ns1 route del prohibit ::/0 metric 1024 proto 203');
  });

  it('write a unicast route with no type word', () => {
    expect(ip(cmd.routeAdd('ns1', { to: '10.9.0.0/16', via: '10.0.1.1' }))).toBe(
      'ip -n ns1 route add 10.9.0.0/16 via 10.0.1.1 proto 203',
    );
  });
});
