import { describe, expect, test } from 'vitest';
import type { GoalCheck } from '@netcanvas/model';
import { builtInLessonIds, loadLesson } from '../src/core/lesson-catalog';

/**
 * Every step says how to do it on the canvas and in a terminal. A namespace an earlier step asked
 * for may have been made in a terminal; the canvas then shows it as made outside netcanvas, and
 * changes nothing of it until it is adopted (netcanvas never touches what it does not own). So a
 * step whose canvas instructions change such a namespace must say to adopt it first.
 */

/** The namespaces a goal changes something in (not those it only reads, nor those it asks for). */
function changedIn(check: GoalCheck): string[] {
  switch (check.kind) {
    case 'all':
    case 'any':
      return check.goals.flatMap(changedIn);
    case 'not':
      return changedIn(check.goal);
    case 'interfaceUp':
    case 'address':
    case 'route':
    case 'forwarding':
    case 'rule':
      return [check.namespace];
    default:
      return [];
  }
}

const askedFor = (check: GoalCheck): string[] =>
  check.kind === 'namespace'
    ? [check.name]
    : check.kind === 'all' || check.kind === 'any'
      ? check.goals.flatMap(askedFor)
      : [];

describe('the built-in lessons, followed on the canvas after a terminal', () => {
  test('a step that changes a namespace an earlier step asked for says to adopt it first', async () => {
    const missing: string[] = [];
    for (const id of await builtInLessonIds()) {
      const lesson = await loadLesson(id);
      let mayBeHandMade = new Set<string>();
      for (const step of lesson.steps) {
        if (step.start) mayBeHandMade = new Set();
        const changes = step.goals.flatMap((g) => changedIn(g.check)).filter((n) => mayBeHandMade.has(n));
        if (changes.length > 0 && /on the canvas/i.test(step.text) && !/\badopt/i.test(step.text))
          missing.push(`${id}: step "${step.id}" (${[...new Set(changes)].join(', ')})`);
        for (const g of step.goals) for (const n of askedFor(g.check)) mayBeHandMade.add(n);
      }
    }
    expect(missing).toEqual([]);
  });
});
