import { useLesson } from './lesson-store';
import { highlightCss } from './highlight-css';

/** Rings what the open step points at (highlight-css.ts): one `<style>`, changed when the step does. */
export function LessonHighlights() {
  const css = useLesson((s) => {
    const step = s.lesson?.steps[s.progress?.step ?? 0];
    return step && !s.progress?.complete ? highlightCss(step.highlight) : '';
  });
  if (!css) return null;
  return <style data-testid="lesson-highlights">{css}</style>;
}
