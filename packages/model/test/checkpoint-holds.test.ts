import { describe, expect, it } from 'vitest';
import { checkpointHolds, resetRemoves, validateTopology, type Topology } from '../src';

const doc = (input: unknown): Topology => {
  const checked = validateTopology(input);
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  return checked.value;
};
const end = (node: string, ifname: string) => ({ node, ifname, addresses: [] });
const lab = doc({
  schemaVersion: 1,
  namespaces: [{ name: 'h1' }, { name: 'h2' }, { name: 'h3' }],
  bridges: [{ name: 'br0' }, { name: 'br1' }],
  links: [
    { a: end('h1', 'eth0'), b: end('br0', 'p1') },
    { a: end('h2', 'eth0'), b: end('br0', 'p2') },
    { a: end('h1', 'eth1'), b: end('h2', 'eth1') },
    { a: end('h3', 'eth0'), b: end('br1', 'p3') },
  ],
});

describe('what a reset to a checkpoint removes', () => {
  it('is nothing when the checkpoint holds all the lab has', () => {
    expect(resetRemoves(lab, checkpointHolds(lab))).toEqual([]);
  });

  it('names the namespaces and bridges that go, and the veth pairs that do not go with them', () => {
    const checkpoint = doc({
      schemaVersion: 1,
      namespaces: [{ name: 'h1' }, { name: 'h2' }],
      bridges: [{ name: 'br0' }],
      links: [
        { a: end('h1', 'eth0'), b: end('br0', 'p1') },
        // The same pair, written the other way round: not one that goes.
        { a: end('br0', 'p2'), b: end('h2', 'eth0') },
      ],
    });
    expect(resetRemoves(lab, checkpointHolds(checkpoint))).toEqual([
      '1 namespace (with their veths): h3',
      '1 bridge (with their ports): br1',
      '1 veth pair: h1:eth1 ⇄ h2:eth1',
    ]);
  });
});
