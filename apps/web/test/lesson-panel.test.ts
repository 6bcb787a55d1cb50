import type { LessonProgress, LessonView } from '@netcanvas/model';
import { describe, expect, it } from 'vitest';
import { builtInLessons } from '../src/lesson/built-in-lessons';
import { INSPECTOR_SECTIONS, highlightCss, highlightSelectors } from '../src/lesson/highlight-css';
import { applyLessonMessage, useLesson } from '../src/lesson/lesson-store';
import { nextStep, stepStandings } from '../src/lesson/lesson-steps';

const step = (id: string, goals = 1) => ({
  id,
  title: id,
  text: '',
  highlight: [],
  checkpoint: false,
  resets: false,
  goals: Array.from({ length: goals }, (_, i) => ({ text: `goal ${i}` })),
});
const lesson: LessonView = {
  id: 'l',
  title: 'L',
  summary: '',
  steps: [step('a'), step('b'), step('c'), step('d', 0)],
};
const progress = (over: Partial<LessonProgress>): LessonProgress => ({
  lessonId: 'l',
  step: 0,
  goals: [{ state: 'unmet', detail: null }],
  done: [],
  complete: false,
  ...over,
});

describe('the lesson panel’s steps', () => {
  it('marks steps done, open, skipped (an editor went past) and locked', () => {
    expect(stepStandings(lesson, progress({ step: 2, done: ['a'] }))).toEqual([
      'done',
      'skipped',
      'current',
      'locked',
    ]);
    // A step done earlier and opened again is open; one done ahead stays done.
    expect(stepStandings(lesson, progress({ step: 0, done: ['a', 'c'] }))).toEqual([
      'current',
      'locked',
      'done',
      'locked',
    ]);
  });

  it('opens "Next" only when every goal of the open step is met, or it has none', () => {
    expect(nextStep(lesson, progress({ step: 0 }))).toBeNull();
    expect(nextStep(lesson, progress({ step: 0, goals: [{ state: 'met', detail: null }] }))).toBe('b');
    expect(nextStep(lesson, progress({ step: 1, goals: [{ state: 'checking', detail: null }] }))).toBeNull();
    expect(nextStep(lesson, progress({ step: 2, done: ['c'] }))).toBe('d');
    // The last step has no next; nor has a progress of another lesson.
    expect(nextStep(lesson, progress({ step: 3, goals: [] }))).toBeNull();
    expect(
      nextStep(lesson, progress({ lessonId: 'other', goals: [{ state: 'met', detail: null }] })),
    ).toBeNull();
  });

  it('keeps a progress only for the lesson it shows (a load can cross an older progress)', () => {
    applyLessonMessage({ type: 'lesson', lesson, progress: progress({}) });
    applyLessonMessage({ type: 'lessonProgress', progress: progress({ lessonId: 'old', step: 3 }) });
    expect(useLesson.getState().progress?.step).toBe(0);
    applyLessonMessage({ type: 'lessonProgress', progress: progress({ step: 1 }) });
    expect(useLesson.getState().progress?.step).toBe(1);
  });
});

describe('lesson highlights', () => {
  it('ring the node, the palette button, an interface’s row, an inspector section and a tool', () => {
    expect(highlightSelectors({ node: 'ns0' })).toEqual(['.react-flow__node[data-id="ns0"]']);
    expect(highlightSelectors({ palette: 'bridge' })).toEqual(['button[aria-label="add bridge"]']);
    expect(highlightSelectors({ link: { node: 'ns1', ifname: 'veth1' } })).toContain(
      '[aria-label="interface veth1 in ns1"]',
    );
    expect(highlightSelectors({ inspector: 'firewall' })).toEqual([
      'section[aria-label="Firewall (iptables)"]',
    ]);
    expect(highlightSelectors({ tool: 'terminal' })[0]).toBe('button[aria-label^="open a terminal in "]');
    expect(highlightSelectors({ inspector: 'no-such-section' })).toEqual([]);
    expect(highlightCss([])).toBe('');
    expect(highlightCss([{ node: 'ns0' }])).toContain('animation: nc-lesson-pulse');
  });

  it('name only what the page draws, in every built-in lesson', async () => {
    const files = import.meta.glob<string>('../../../lessons/*.lesson.yml', {
      query: '?raw',
      import: 'default',
      eager: true,
    });
    const { parseLesson } = await import('@netcanvas/model');
    const { EXAMPLES } = await import('../src/lib/examples');
    const examples = Object.fromEntries(EXAMPLES.map((e) => [e.id, e.raw]));
    expect(Object.keys(files).length).toBeGreaterThanOrEqual(3);
    for (const [file, text] of Object.entries(files)) {
      const parsed = parseLesson(text, { examples });
      expect(parsed.ok, file).toBe(true);
      if (!parsed.ok) continue;
      for (const s of parsed.lesson.steps)
        for (const h of s.highlight) {
          if ('inspector' in h)
            expect(Object.keys(INSPECTOR_SECTIONS), `${file} ${s.id}`).toContain(h.inspector);
          expect(highlightSelectors(h).length, `${file} ${s.id} ${JSON.stringify(h)}`).toBeGreaterThan(0);
        }
    }
  });

  it('the picker offers the built-in lessons, the seed tutorial first', () => {
    // Then by title: "A firewall on the router", "Fix the broken network".
    expect(builtInLessons().map((l) => l.id)).toEqual([
      'seed-tutorial',
      'router-firewall',
      'fix-the-network',
    ]);
  });
});
