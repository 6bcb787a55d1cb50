import { describe, expect, it } from 'vitest';
import type { ObservedState } from '@netcanvas/model';
import { hasNamespaceNow } from '../src/core/look-again';
import { observedWith } from './helpers/observed';

/**
 * A terminal or a capture asked for right after the edit that made its namespace is checked
 * against a fresh reading, not refused on the last one (which is from before the edit).
 */

/** A live state whose last reading lacks h1 and whose fresh one has it; counts the fresh readings. */
function liveMissing(fresh: () => Promise<ObservedState>) {
  const calls = { fresh: 0 };
  const live = {
    observed: observedWith(['h0']),
    fresh: () => {
      calls.fresh++;
      return fresh();
    },
  };
  return { live, calls };
}

describe('hasNamespaceNow', () => {
  it('asks for a fresh reading when the last one lacks the name, and finds a namespace just made', async () => {
    const { live, calls } = liveMissing(async () => observedWith(['h0', 'h1']));
    expect(await hasNamespaceNow(live, 'h1')).toBe(true);
    expect(calls.fresh).toBe(1);
  });

  it('reads nothing for a name the last reading has, nor for the root', async () => {
    const { live, calls } = liveMissing(async () => observedWith([]));
    expect(await hasNamespaceNow(live, 'h0')).toBe(true);
    expect(await hasNamespaceNow(live, 'root')).toBe(true);
    expect(calls.fresh).toBe(0);
  });

  it('says no for a name neither reading has, and when the fresh reading fails', async () => {
    expect(await hasNamespaceNow(liveMissing(async () => observedWith(['h0'])).live, 'h9')).toBe(false);
    expect(await hasNamespaceNow(liveMissing(() => Promise.reject(new Error('gone'))).live, 'h1')).toBe(
      false,
    );
  });
});
