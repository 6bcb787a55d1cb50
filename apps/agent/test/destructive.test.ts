import { describe, expect, it } from 'vitest';
import { commands } from '@netcanvas/kernel';
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
