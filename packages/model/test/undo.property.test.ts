import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEdit, applyEdits, Edit, type EditInput } from '../src/edits';
import type { Topology } from '../src/topology';
import { inverseEdits, inverseOfEdits } from '../src/undo';
import { anyEdit, document } from './edit-arbitraries';

/**
 * The property of undo: applying an edit, then its inverse, gives back the document, up to the
 * order of namespaces, bridges and links (the edits append what they bring back; that order means
 * nothing to the kernel or the picture). Documents and edits: edit-arbitraries.ts.
 */

/** The document with its unordered lists sorted: what "the same document" means here. */
const normal = (doc: Topology) => ({
  ...doc,
  namespaces: [...doc.namespaces].sort((a, b) => a.name.localeCompare(b.name)),
  bridges: [...doc.bridges].sort((a, b) => a.name.localeCompare(b.name)),
  links: doc.links.map((l) => JSON.stringify(l)).sort(),
});

const RUNS = { numRuns: 400 };
// A few seconds alone; much more on a machine shared by several test runs.
const TIME = 60_000;

describe('inverseEdits', () => {
  it(
    'gives back the document after any edit that applies',
    () => {
      let applied = 0;
      fc.assert(
        fc.property(document, anyEdit, (before, input) => {
          const after = applyEdit(before, input);
          if (!after.ok) return;
          applied++;
          const inverse = inverseEdits(before, Edit.parse(input));
          expect(inverse.ok).toBe(true);
          if (!inverse.ok) return;
          // The inverse is what a client sends: every edit passes the wire's schema as it is.
          for (const edit of inverse.edits) expect(Edit.safeParse(edit).success).toBe(true);
          const undone = applyEdits(after.value, inverse.edits);
          expect(undone.ok ? normal(undone.value) : undone.issues).toEqual(normal(before));
        }),
        RUNS,
      );
      // Enough random edits must apply, or the property says little. About 28% do (mean ~112 of
      // 400, sd ~9): a bound at a quarter failed once at 98; an eighth is 7 sd below the mean.
      expect(applied).toBeGreaterThan(RUNS.numRuns / 8);
    },
    TIME,
  );

  it(
    'gives back the document after a batch, whatever passes in between',
    () => {
      let applied = 0;
      fc.assert(
        fc.property(document, fc.array(anyEdit, { minLength: 2, maxLength: 8 }), (before, tried) => {
          // The batch: those of the tried edits that apply one after another (as a person's would).
          const inputs: EditInput[] = [];
          let current = before;
          for (const edit of tried) {
            const next = applyEdit(current, edit);
            if (next.ok) [current, inputs[inputs.length]] = [next.value, edit];
          }
          const after = applyEdits(before, inputs);
          if (inputs.length < 2 || !after.ok) return;
          applied++;
          const inverse = inverseOfEdits(
            before,
            inputs.map((e) => Edit.parse(e)),
          );
          if (!inverse.ok) throw new Error(inverse.reason);
          const undone = applyEdits(after.value, inverse.edits);
          expect(undone.ok ? normal(undone.value) : undone.issues).toEqual(normal(before));
        }),
        RUNS,
      );
      expect(applied).toBeGreaterThan(RUNS.numRuns / 10);
    },
    TIME,
  );
});
