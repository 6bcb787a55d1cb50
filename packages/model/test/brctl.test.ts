import { describe, expect, it } from 'vitest';
import { brctlText, type BridgeAction } from '../src';

/** brctl ≡ ip: each bridge action's brctl form, in the lab's root and inside a namespace. */
describe('brctlText renders a bridge step in brctl’s words', () => {
  it.each<[BridgeAction, string]>([
    [{ action: 'addbr', bridge: 'br0', stp: false }, 'brctl addbr br0'],
    [{ action: 'addbr', bridge: 'br0', stp: true }, 'brctl addbr br0 && brctl stp br0 on'],
    [{ action: 'delbr', bridge: 'br0' }, 'brctl delbr br0'],
    [{ action: 'addif', bridge: 'br0', port: 'veth0' }, 'brctl addif br0 veth0'],
    [{ action: 'delif', bridge: 'br0', port: 'veth0' }, 'brctl delif br0 veth0'],
    [{ action: 'stp', bridge: 'br0', on: false }, 'brctl stp br0 off'],
  ])('%o in the root is %s', (bridge, text) => {
    expect(brctlText({ context: 'root', bridge })).toBe(text);
  });

  it('runs brctl inside the namespace of a bridge that is not in the root', () => {
    expect(brctlText({ context: 'ns2', bridge: { action: 'addbr', bridge: 'br1', stp: true } })).toBe(
      'ip netns exec ns2 brctl addbr br1 && ip netns exec ns2 brctl stp br1 on',
    );
  });

  it('says nothing for a step that is not about a bridge', () => {
    expect(brctlText({ context: 'root' })).toBeNull();
  });
});
