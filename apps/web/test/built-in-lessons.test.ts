import { beforeEach, describe, expect, it, vi } from 'vitest';

// parseLesson counted: the built-in lessons are parsed when the Lessons menu first asks, once, and
// not when the page loads (the module imported), which every page paid (docs/testing.md, session 10).
const parses = vi.hoisted(() => ({ count: 0 }));
vi.mock('@netcanvas/model', async (importOriginal) => {
  const model = await importOriginal<typeof import('@netcanvas/model')>();
  return {
    ...model,
    parseLesson: (...args: Parameters<typeof model.parseLesson>) => {
      parses.count++;
      return model.parseLesson(...args);
    },
  };
});

describe('the built-in lessons', () => {
  beforeEach(() => {
    parses.count = 0;
  });

  it('are not parsed when the page loads its modules (the menu and its list)', async () => {
    await import('../src/lesson/LessonMenu');
    await import('../src/lesson/built-in-lessons');
    expect(parses.count).toBe(0);
  });

  it('are parsed on the first ask, each file once, and kept', async () => {
    const { builtInLessons } = await import('../src/lesson/built-in-lessons');
    const first = builtInLessons();
    expect(first.length).toBeGreaterThan(0);
    expect(parses.count).toBe(first.length);
    expect(builtInLessons()).toBe(first);
    expect(parses.count).toBe(first.length);
  });
});
