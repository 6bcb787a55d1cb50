import type { PresenterFrame } from '@netcanvas/model';
import { useReactFlow, useStoreApi } from '@xyflow/react';
import { useEffect } from 'react';
import { uiActions, useUi, type Selection } from '../store/ui';
import { viewportShowing } from './frame-view';
import { showSection } from './inspector-section';
import { presenterActions, usePresenter } from './presenter-store';

/** When the inspector's section is shown after a frame: once it drew, and again should it draw late. */
const SECTION_AFTER_MS = [40, 300];

const sameSelection = (a: Selection, b: Selection) => JSON.stringify(a) === JSON.stringify(b);

/**
 * While this page follows: each new frame of the lead moves the view (the lead's visible area,
 * fitted to this window), the selection, the inspector's section and the picture of netfilter.
 * This page's own pan, zoom or click on the canvas, or a selection it makes, is "looking around":
 * following stops until "Follow" is pressed. What the frames do raises no DOM event, so only a
 * person's gestures are seen as theirs.
 */
export function useFollow(following: boolean): void {
  const store = useStoreApi();
  const flow = useReactFlow();
  useEffect(() => {
    if (!following) return;
    let applied: PresenterFrame | null = null;
    const apply = (frame: PresenterFrame | null) => {
      if (frame === null) return;
      const { width, height, minZoom, maxZoom } = store.getState();
      if (width > 0 && height > 0)
        void flow.setViewport(viewportShowing(frame.visible, width, height, { min: minZoom, max: maxZoom }));
      if (!sameSelection(useUi.getState().selection, frame.selection)) selectAsLead(frame.selection);
      if (useUi.getState().netfilter !== frame.netfilter) uiActions.showNetfilter(frame.netfilter);
      const section = frame.section;
      if (
        applied === null ||
        applied.section !== section ||
        !sameSelection(applied.selection, frame.selection)
      )
        // After the inspector drew the selection (it scrolls itself to the top for a new one); a
        // timer, not an animation frame, which a page in the background may not get for a while.
        for (const ms of SECTION_AFTER_MS) setTimeout(() => showSection(section), ms);
      applied = frame;
    };
    const selectAsLead = (selection: Selection) => {
      const rf = store.getState();
      if (selection === null) rf.resetSelectedElements();
      else if (selection.kind === 'edge') rf.addSelectedEdges([selection.id]);
      else rf.addSelectedNodes([selection.kind === 'node' ? selection.id : selection.nodeId]);
      uiActions.select(selection);
    };
    apply(usePresenter.getState().frame);
    const unsubscribers = [
      usePresenter.subscribe((s, before) => {
        if (s.frame !== before.frame) apply(s.frame);
      }),
      // A window resized: the same area again, fitted to the new size.
      store.subscribe((s, before) => {
        if (s.width !== before.width || s.height !== before.height) apply(usePresenter.getState().frame);
      }),
      // A selection this page made itself (in the inspector): looking around.
      useUi.subscribe((s, before) => {
        const lead = usePresenter.getState().frame?.selection ?? null;
        if (s.selection !== before.selection && s.selection !== null && !sameSelection(s.selection, lead))
          presenterActions.lookAround();
      }),
    ];
    const dom = store.getState().domNode;
    const lookAround = () => presenterActions.lookAround();
    dom?.addEventListener('pointerdown', lookAround, true);
    dom?.addEventListener('wheel', lookAround, { capture: true, passive: true });
    return () => {
      for (const stop of unsubscribers) stop();
      dom?.removeEventListener('pointerdown', lookAround, true);
      dom?.removeEventListener('wheel', lookAround, true);
      for (const s of document.querySelectorAll<HTMLElement>('[data-presented]')) delete s.dataset.presented;
    };
  }, [following, store, flow]);
}
