import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteBudget, Scrollback, TypedLines } from '../src/core/terminal-parts';

describe('TypedLines (what was typed, for the audit log)', () => {
  it('writes one line per Enter, whatever the keys were split into, and keeps every character', () => {
    const key = fc.constantFrom('a', 'b', ' ', '\r', '\x03', '\x1b[A', 'é');
    fc.assert(
      fc.property(fc.array(fc.array(key, { maxLength: 8 }), { maxLength: 30 }), (chunks) => {
        const lines: string[] = [];
        const typed = new TypedLines((line) => lines.push(line));
        for (const chunk of chunks) typed.push(chunk.join(''));
        typed.flush();
        const all = chunks.flat().join('');
        const expected = all.split('\r');
        if (expected.at(-1) === '') expected.pop();
        expect(lines).toEqual(expected);
      }),
    );
  });

  it('writes a line that never ends once it is long', () => {
    const lines: string[] = [];
    const typed = new TypedLines((line) => lines.push(line), 10);
    typed.push('x'.repeat(25));
    expect(lines).toEqual(['x'.repeat(25)]);
  });
});

describe('Scrollback', () => {
  it('keeps the last maxChars of the output, at most', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 300 }), { maxLength: 60 }), (chunks) => {
        const scrollback = new Scrollback(500);
        for (const chunk of chunks) scrollback.push(chunk);
        const all = chunks.join('');
        expect(scrollback.value.length).toBeLessThanOrEqual(500);
        expect(all.endsWith(scrollback.value)).toBe(true);
        if (all.length <= 500) expect(scrollback.value).toBe(all);
      }),
    );
  });
});

describe('ByteBudget', () => {
  it('admits a burst, then the rate', () => {
    let now = 0;
    const budget = new ByteBudget(100, 300, () => now);
    expect(budget.take(300)).toBe(true);
    expect(budget.take(1)).toBe(false);
    now += 500;
    expect(budget.take(50)).toBe(true);
    expect(budget.take(1)).toBe(false);
    expect(budget.waitFor(100)).toBe(1000);
  });
});
