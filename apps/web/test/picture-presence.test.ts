import { describe, expect, it } from 'vitest';
import { picturePresence } from '../src/netfilter/picture-presence';

const seen = (inDocument: boolean, inKernel: boolean) => ({ inDocument, inKernel });

describe('the netfilter picture follows its namespace', () => {
  it('shows a namespace the kernel has', () => {
    expect(picturePresence('ns1', { inDocument: true, inKernel: true }, seen(true, true))).toBe('shown');
    // Made by hand: only the kernel has it.
    expect(picturePresence('hand', { inDocument: false, inKernel: true }, seen(false, true))).toBe('shown');
  });

  it('says "gone" when the kernel lost it and the topology still has it', () => {
    expect(picturePresence('ns1', { inDocument: true, inKernel: false }, seen(true, true))).toBe('gone');
  });

  it('says "not yet" for a namespace the kernel never had while the picture was open', () => {
    expect(picturePresence('ns1', { inDocument: true, inKernel: false }, seen(true, false))).toBe('absent');
  });

  it('closes once the namespace left the topology, even before the kernel catches up', () => {
    expect(picturePresence('ns1', { inDocument: false, inKernel: true }, seen(true, true))).toBe('close');
    expect(picturePresence('ns1', { inDocument: false, inKernel: false }, seen(true, true))).toBe('close');
    expect(picturePresence('ns1', { inDocument: false, inKernel: null }, seen(true, false))).toBe('close');
  });

  it('closes a hand-made namespace once the kernel lost it', () => {
    expect(picturePresence('hand', { inDocument: false, inKernel: false }, seen(false, true))).toBe('close');
  });

  it('waits for the first observed state, and never closes the lab’s root', () => {
    expect(picturePresence('ns1', { inDocument: true, inKernel: null }, seen(true, false))).toBe('waiting');
    expect(picturePresence('root', { inDocument: false, inKernel: null }, seen(false, false))).toBe(
      'waiting',
    );
    expect(picturePresence('root', { inDocument: false, inKernel: true }, seen(false, true))).toBe('shown');
  });
});
