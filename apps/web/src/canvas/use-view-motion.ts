import { useCallback, useRef } from 'react';

/**
 * Marks the canvas's wrapper with whether its view is moving (`data-view="moving" | "still"`)
 * and how many moves have ended (`data-view-moves`). A fit is not immediate: React Flow queues
 * it for after the next render and then animates it, so "the zoom stopped changing" can be read
 * before the fit has even begun on a busy machine. This is what a test (or an extension) waits for
 * instead: a move that ended after the click. Set on the DOM node, not in React state, so a pan
 * does not re-render the canvas.
 */
export function useViewMotion() {
  const ref = useRef<HTMLDivElement>(null);
  const ended = useRef(0);
  const onMoveStart = useCallback(() => ref.current?.setAttribute('data-view', 'moving'), []);
  const onMoveEnd = useCallback(() => {
    ended.current++;
    ref.current?.setAttribute('data-view', 'still');
    ref.current?.setAttribute('data-view-moves', String(ended.current));
  }, []);
  return { ref, onMoveStart, onMoveEnd };
}
