import { describe, expect, it } from 'vitest';
import type { ObservedFirewall } from '@netcanvas/model';
import { kernelPolicy } from '../src/inspector/kernel-policy';

const filterLoaded: ObservedFirewall = {
  chains: [
    { table: 'filter', name: 'INPUT', policy: 'ACCEPT' },
    { table: 'filter', name: 'FORWARD', policy: 'DROP' },
  ],
  rules: [],
} as unknown as ObservedFirewall;

describe('a built-in chain’s policy in the kernel, as the policy editor says it', () => {
  it('says the policy of a loaded table', () => {
    expect(kernelPolicy('present', filterLoaded, 'filter', 'FORWARD')).toEqual({
      policy: 'DROP',
      text: 'DROP',
    });
  });

  it('says ACCEPT for a table that is not loaded (nothing filters there), not a dash', () => {
    expect(kernelPolicy('present', filterLoaded, 'raw', 'PREROUTING')).toEqual({
      policy: 'ACCEPT',
      text: 'ACCEPT (table not loaded)',
    });
  });

  it('says the namespace is gone when the kernel has no such namespace, and not read yet before a read', () => {
    expect(kernelPolicy('absent', undefined, 'filter', 'INPUT')).toEqual({ text: 'no such namespace' });
    expect(kernelPolicy('present', undefined, 'filter', 'INPUT')).toEqual({ text: 'not read yet' });
  });
});
