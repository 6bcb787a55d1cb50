import { describe, expect, it } from 'vitest';
import { commands } from '@netcanvas/kernel/testing';
import { deletes, deletesAdopted } from '../src/core/destructive';

describe('destructive steps', () => {
  it('knows the steps that delete', () => {
    expect(deletes(commands.linkDel('root', 'p1', 'x'))).toBe(true);
    expect(deletes(commands.linkDel('ns0', 'veth0', 'x'))).toBe(true);
    expect(deletes(commands.netnsDel('ns0'))).toBe(true);
    expect(deletes(commands.addrDel('ns0', 'veth0', '10.0.0.1/24', 'x'))).toBe(true);
    expect(deletes(commands.netnsAdd('ns0'))).toBe(false);
    expect(deletes(commands.linkSetGroup('root', 'p1'))).toBe(false);
  });

  it('knows routes and rules that delete, from what the step is, not from its words', () => {
    const route = { to: '10.9.0.0/24', via: '10.0.0.1', dev: null, metric: null };
    expect(deletes(commands.routeDel('ns0', route))).toBe(true);
    expect(deletes(commands.routeReplace('ns0', route, 'x'))).toBe(false);
    expect(deletes(commands.iptables('ns0', 'filter', ['-D', 'INPUT', '-j', 'DROP'], 'x'))).toBe(true);
    expect(deletes(commands.iptables('root', 'nat', ['-F', 'POSTROUTING'], 'x'))).toBe(true);
    expect(deletes(commands.iptables('ns0', 'filter', ['-X', 'mine'], 'x'))).toBe(true);
    expect(deletes(commands.iptables('ns0', 'filter', ['-A', 'INPUT', '-j', 'DROP'], 'x'))).toBe(false);
    // A word that looks like a delete, as an argument, is not one.
    const logged = ['-A', 'INPUT', '-j', 'LOG', '--log-prefix', '-D'];
    expect(deletes(commands.iptables('ns0', 'filter', logged, 'x'))).toBe(false);
    const pair = commands.vethAdd({ context: 'root', ifname: 'a' }, { context: 'del', ifname: 'b' });
    expect(deletes(pair)).toBe(false);
  });

  it('finds a delete of an adopted interface, or of anything in an adopted namespace', () => {
    const adopted = { namespaces: ['mine'], interfaces: [{ context: 'root', ifname: 'r1' }] };
    expect(deletesAdopted(commands.linkDel('root', 'r1', 'x'), adopted)).toBe(true);
    expect(deletesAdopted(commands.linkDel('root', 'r2', 'x'), adopted)).toBe(false);
    expect(deletesAdopted(commands.linkDel('mine', 'eth0', 'x'), adopted)).toBe(true);
    expect(deletesAdopted(commands.netnsDel('mine'), adopted)).toBe(true);
    expect(deletesAdopted(commands.netnsDel('other'), adopted)).toBe(false);
    expect(deletesAdopted(commands.linkSetGroup('root', 'r1'), adopted)).toBe(false);
  });
});
