import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdit, describeEdit, Edit, type EditInput } from '../src/edits';
import {
  LinkEffects,
  effectsDrift,
  effectsInForce,
  effectsLabel,
  helperPart,
  normalEffects,
} from '../src/link-effects';
import type { Topology } from '../src/topology';
import { inverseEdits } from '../src/undo';
import { validateTopology } from '../src/validate';
import { bridgeLab, vethPair } from './fixtures';

const valid = (input: unknown): Topology => {
  const result = validateTopology(input);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.value;
};
const setEffects = (effects: unknown, node = 'ns0', ifname = 'veth0') =>
  ({ type: 'setInterface', node, ifname, effects }) as EditInput;
const issuesOf = (doc: Topology, edit: EditInput) => {
  const result = applyEdit(doc, edit);
  return result.ok ? [] : result.issues;
};

describe('link effects in the document', () => {
  const pair = valid(vethPair());

  it('refuses bad input with the field named', () => {
    const cases: [unknown, string, RegExp][] = [
      [{ delayMs: -1 }, 'edit.effects.delayMs', /cannot be negative/],
      [{ delayMs: '10 years' }, 'edit.effects.delayMs', /number of milliseconds/],
      [{ delayMs: 10 * 365 * 24 * 3600 * 1000 }, 'edit.effects.delayMs', /at most 60000 ms/],
      [{ delayMs: 1.5 }, 'edit.effects.delayMs', /whole number/],
      [{ lossPercent: 200 }, 'edit.effects.lossPercent', /at most 100/],
      [{ corruptPercent: -3 }, 'edit.effects.corruptPercent', /cannot be negative/],
      [{ rateKbit: 1 }, 'edit.effects.rateKbit', /at least 8/],
      [{ reorderPercent: 5 }, 'edit.effects.reorderPercent', /needs a delay/],
      [{ jitterMs: 5 }, 'edit.effects.jitterMs', /needs a delay/],
      [{ delayMs: 1, colour: 'red' }, 'edit.effects', /colour/],
    ];
    for (const [effects, path, message] of cases) {
      const issues = issuesOf(pair, setEffects(effects));
      expect(
        issues.map((i) => i.path),
        JSON.stringify(effects),
      ).toEqual([path]);
      expect(issues[0]?.message).toMatch(message);
    }
  });

  it('sets effects whole, and clears them with null or zeros', () => {
    const set = applyEdit(pair, setEffects({ delayMs: 100, lossPercent: 2 }));
    expect(set.ok && set.value.links[0]?.a.effects).toEqual({ delayMs: 100, lossPercent: 2 });
    if (!set.ok) return;
    const replaced = applyEdit(set.value, setEffects({ rateKbit: 1000 }));
    expect(replaced.ok && replaced.value.links[0]?.a.effects).toEqual({ rateKbit: 1000 });
    for (const none of [null, {}, { delayMs: 0, lossPercent: 0 }]) {
      const cleared = applyEdit(set.value, setEffects(none));
      expect(cleared.ok && 'effects' in (cleared.value.links[0]?.a ?? {})).toBe(false);
    }
    expect(describeEdit(Edit.parse(setEffects({ delayMs: 100, lossPercent: 2 })))).toBe(
      'set ns0:veth0 (effects 100 ms · 2% loss)',
    );
    expect(describeEdit(Edit.parse(setEffects(null)))).toBe('set ns0:veth0 (no effects)');
  });

  it('undoes a change of effects by value', () => {
    const before = valid({
      ...vethPair(),
      links: [{ ...vethPair().links?.[0], a: { node: 'ns0', ifname: 'veth0', effects: { delayMs: 5 } } }],
    });
    const inverse = inverseEdits(before, Edit.parse(setEffects({ lossPercent: 1 })));
    expect(inverse.ok && inverse.edits).toEqual([
      { type: 'setInterface', node: 'ns0', ifname: 'veth0', effects: { delayMs: 5 } },
    ]);
  });

  it('takes only a rate on a link between two bridges', () => {
    const lab = bridgeLab();
    const doc = {
      ...lab,
      bridges: [{ name: 'br0' }, { name: 'br1' }],
      links: [
        {
          a: { node: 'br0', ifname: 'up0', effects: { delayMs: 10 } },
          b: { node: 'br1', ifname: 'up1', effects: { rateKbit: 800 } },
        },
      ],
    };
    const result = validateTopology(doc);
    expect(result.ok ? [] : result.issues.map((i) => i.path)).toEqual(['links[0].a.effects']);
  });
});

describe('link effects in words', () => {
  it('labels the edge badge', () => {
    expect(effectsLabel({ delayMs: 50, lossPercent: 2 })).toBe('50 ms · 2% loss');
    expect(effectsLabel({ delayMs: 100, jitterMs: 10, rateKbit: 1500 })).toBe('100 ms ± 10 ms · 1.5 Mbit/s');
    expect(effectsLabel({ duplicatePercent: 1, corruptPercent: 0.5, rateKbit: 64 })).toBe(
      '1% dup · 0.5% corrupt · 64 kbit/s',
    );
    expect(effectsLabel(undefined)).toBe('');
  });

  it('says drift as a sentence, none when the kernel agrees', () => {
    const helper = helperPart({ delayMs: 100 });
    const inForce = effectsInForce(helper, { kind: 'tbf', handle: '4e43:', managed: true, rateKbit: 1000 });
    expect(inForce).toEqual({ delayMs: 100, rateKbit: 1000 });
    expect(effectsDrift('veth0', { delayMs: 100, rateKbit: 1000 }, inForce)).toBeNull();
    expect(effectsDrift('veth0', { delayMs: 100 }, undefined)).toBe(
      'The kernel has none on veth0; the topology wants 100 ms.',
    );
    // A tbf made by hand is not the lab's rate.
    expect(
      effectsInForce(null, { kind: 'tbf', handle: '8001:', managed: false, rateKbit: 1000 }),
    ).toBeUndefined();
  });

  it('splits any valid effects into the helper part and the rate, and labels all of it', () => {
    const effects = fc.record(
      {
        delayMs: fc.integer({ min: 0, max: 60_000 }),
        lossPercent: fc.integer({ min: 0, max: 10_000 }).map((n) => n / 100),
        duplicatePercent: fc.integer({ min: 0, max: 100 }),
        corruptPercent: fc.integer({ min: 0, max: 100 }),
        rateKbit: fc.integer({ min: 8, max: 100_000_000 }),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(effects, (e) => {
        expect(LinkEffects.safeParse(e).success).toBe(true);
        const normal = normalEffects(e);
        expect(effectsLabel(normal) === '').toBe(normal === undefined);
        const helper = helperPart(e);
        expect(helper === null).toBe(
          !e.delayMs && !e.lossPercent && !e.duplicatePercent && !e.corruptPercent,
        );
        const back = effectsInForce(
          helper,
          e.rateKbit ? { kind: 'tbf', handle: '4e43:', managed: true, rateKbit: e.rateKbit } : null,
        );
        expect(effectsDrift('x', e, back)).toBeNull();
      }),
      { numRuns: 300 },
    );
  });
});
