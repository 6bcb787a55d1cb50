import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { editSteps, type Step } from '@netcanvas/model';
import * as cmd from '../src/commands';

// An edit runs what it changes (model `editSteps`): the steps of the plan for the document it
// makes that the plan for the document before it lacks, with what those need. Drift elsewhere
// (in both plans) is left to its repair. The steps are the planner's own builders.

const text = (steps: readonly Step[]) => steps.map((s) => s.argv.join(' '));
const veth = cmd.vethAdd({ context: 'ns0', ifname: 'veth0' }, { context: 'ns1', ifname: 'veth1' });

describe('the steps an edit runs', () => {
  it('leaves drift the edit did not ask about: a link a terminal took down stays down', () => {
    const repair = cmd.linkSetUp('ns1', 'veth1', true, 'state drift');
    const made = [cmd.netnsAdd('ns9'), cmd.netnsSetAuto('ns9'), cmd.linkSetUp('ns9', 'lo', true, 'lo down')];
    expect(text(editSteps([repair, ...made], [repair]))).toEqual(text(made));
  });

  it('never deletes a veth end renamed by hand when the edit drops its link ("Take the kernel\'s value")', () => {
    // Before: the document's end `a1` is missing (made again) and the renamed `a1x` is an owned
    // leftover (deleted); after the disconnect only the deletion is planned, and it is drift.
    const leftover = cmd.linkDel('web1', 'a1x', 'owned, not in the topology as it is');
    const before = [
      cmd.vethAdd({ context: 'web1', ifname: 'a1' }, { context: 'web2', ifname: 'b1' }),
      leftover,
    ];
    expect(editSteps([leftover], before)).toEqual([]);
  });

  it('makes again what its own steps need: a link a terminal deleted, before its new address', () => {
    const up = cmd.linkSetUp('ns0', 'veth0', true, 'down');
    const before = [veth, cmd.addrAdd('ns0', 'veth0', '10.0.1.1/24'), up];
    const after = [veth, cmd.addrAdd('ns0', 'veth0', '10.0.1.7/24'), up];
    expect(text(editSteps(after, before))).toEqual(text(after));
  });

  it('pulls an address deleted to be added back in with its re-add, never a deletion typed by hand', () => {
    // By hand, 10.0.1.77 became the subnet's primary and the lab's 10.0.1.2 a secondary: the
    // plan deletes .77 (drift) and .2 with it, then adds .2 back. An edit of that interface's MTU
    // pulled the re-add in without its delete ("Address already assigned", a defect found trying
    // the product); now the pair comes together, and the hand-typed .77 stays.
    const readd = cmd.addrDel('ns2', 'veth1', '10.0.1.2/24', 'to add it back', { readd: true });
    const drift = cmd.addrDel('ns2', 'veth1', '10.0.1.77/24');
    const back = cmd.addrAdd('ns2', 'veth1', '10.0.1.2/24', 'address re-added');
    const mtu = cmd.linkSetMtu('ns2', 'veth1', 1400, 'MTU drift');
    expect(text(editSteps([mtu, readd, drift, back], [readd, drift, back]))).toEqual(
      text([mtu, readd, back]),
    );
    // An edit elsewhere pulls none of it.
    const other = cmd.linkSetMtu('ns1', 'veth0', 1400, 'MTU drift');
    expect(editSteps([other, readd, drift, back], [readd, drift, back])).toEqual([other]);
  });

  it('makes again the bridge a new port joins, and the namespace its steps run in', () => {
    const bridge = cmd.bridgeAdd('root', 'br0', { stp: false });
    const ns = cmd.netnsAdd('ns5');
    const port = cmd.vethAdd({ context: 'root', ifname: 'x0' }, { context: 'ns5', ifname: 'eth0' });
    const joins = cmd.linkSetMaster('root', 'x0', 'br0', 'missing');
    const elsewhere = cmd.linkSetUp('ns1', 'veth1', true, 'state drift');
    const after = [ns, bridge, port, joins, elsewhere];
    expect(text(editSteps(after, [ns, bridge, elsewhere]))).toEqual(text([ns, bridge, port, joins]));
  });

  it('makes again, with its id, a namespace a terminal deleted that a new veth reaches', () => {
    const made = [cmd.netnsAdd('ns1'), cmd.netnsSetAuto('ns1')];
    const reach = cmd.vethAdd({ context: 'ns0', ifname: 'v9' }, { context: 'ns1', ifname: 'w9' });
    const elsewhere = cmd.linkSetUp('ns2', 'veth2', true, 'state drift');
    expect(text(editSteps([...made, elsewhere, reach], [...made, elsewhere]))).toEqual(
      text([...made, reach]),
    );
  });

  it('pulls in no deletion but that of a leftover where the edit makes a link', () => {
    const stray = cmd.linkDel('ns0', 'r5', 'owned, not in the topology as it is');
    const address = cmd.addrAdd('ns0', 'veth0', '10.0.1.9/24');
    expect(text(editSteps([stray, address], [stray]))).toEqual(text([address]));
    // A veth end renamed by hand (r5) holds veth1, the peer the document's veth0 needs back.
    const again = cmd.vethAdd({ context: 'ns0', ifname: 'veth0' }, { context: 'ns1', ifname: 'veth1' });
    const elsewhere = cmd.linkDel('ns7', 'r6', 'owned, not in the topology as it is');
    const after = [stray, elsewhere, again, cmd.addrAdd('ns1', 'veth1', '10.0.1.2/24')];
    const before = [stray, elsewhere, again, cmd.addrAdd('ns1', 'veth1', '10.0.1.3/24')];
    expect(text(editSteps(after, before))).toEqual(text([stray, ...after.slice(2)]));
  });

  it('runs every step of a plan the document before did not need at all (an edit on a lab in step)', () => {
    const after = [cmd.netnsAdd('ns0'), cmd.netnsAdd('ns1'), veth];
    expect(editSteps(after, [])).toEqual(after);
  });

  it('for any two plans: runs every step the plan before lacks, only steps of the plan after, in its order', () => {
    const pool: Step[] = [
      cmd.netnsAdd('ns0'),
      cmd.netnsSetAuto('ns0'),
      cmd.netnsAdd('ns1'),
      cmd.netnsSetAuto('ns1'),
      cmd.bridgeAdd('root', 'br0', { stp: false }),
      veth,
      cmd.vethAdd({ context: 'root', ifname: 'x0' }, { context: 'ns1', ifname: 'eth0' }),
      cmd.linkSetMaster('root', 'x0', 'br0', 'missing'),
      cmd.addrAdd('ns0', 'veth0', '10.0.1.1/24'),
      cmd.addrAdd('ns0', 'veth0', '10.0.1.7/24'),
      cmd.linkSetUp('ns0', 'veth0', true, 'down'),
      cmd.linkSetUp('ns1', 'veth1', true, 'down'),
      cmd.linkDel('ns0', 'r5', 'owned, not in the topology as it is'),
      cmd.linkDel('root', 'r6', 'owned, not in the topology as it is'),
      cmd.netnsDel('old'),
    ];
    const plan = fc.subarray(pool);
    fc.assert(
      fc.property(plan, plan, (after, before) => {
        const run = editSteps(after, before);
        const had = new Set(text(before));
        // Only steps of the plan after, in its order.
        expect(run.every((step) => after.includes(step))).toBe(true);
        expect(run).toEqual(after.filter((step) => run.includes(step)));
        // Every step the plan before lacks.
        for (const step of after) if (!had.has(text([step])[0] as string)) expect(run).toContain(step);
        // A deletion both plans have runs only as a leftover where the edit makes a link.
        for (const step of run)
          if (step.effect.destroys && had.has(text([step])[0] as string)) expect(step.op).toBe('linkDel');
        // Nothing to do when nothing changed.
        expect(editSteps(after, after)).toEqual([]);
      }),
    );
  });
});
