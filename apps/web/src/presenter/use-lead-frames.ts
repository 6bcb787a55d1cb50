import { LatestWins, PresenterFrame } from '@netcanvas/model';
import { useReactFlow, useStoreApi } from '@xyflow/react';
import { useEffect } from 'react';
import { send } from '../protocol/socket';
import { useUi } from '../store/ui';
import { frameKey, rounded, visibleRect } from './frame-view';
import { sectionAtTop } from './inspector-section';
import { presenterActions, usePresenter } from './presenter-store';

/**
 * The page sends a frame at most once per this gap (~16 a second): well inside the connection's
 * 20 messages a second, with room left for edits and a terminal's keys, and a follower is at most
 * this late behind the lead's last move.
 */
export const FRAME_GAP_MS = 60;

type Point = { x: number; y: number } | null;

/**
 * While this page leads: what it shows, as a frame, whenever something in it changes (the view,
 * the selection, the inspector's scroll, the picture of netfilter, the laser pointer), paced
 * (`LatestWins`: the newest, at most one per gap) and sent only when it differs from the last one.
 */
export function useLeadFrames(leading: boolean): void {
  const store = useStoreApi();
  const flow = useReactFlow();
  useEffect(() => {
    if (!leading) return;
    let pointer: Point = null;
    let lastKey = '';
    const pace = new LatestWins<PresenterFrame>(FRAME_GAP_MS, (frame) =>
      send({ type: 'presenterFrame', frame }),
    );
    const offer = () => {
      const { transform, width, height } = store.getState();
      const frame = PresenterFrame.safeParse(frameOf(transform, width, height, pointer));
      // A pane not laid out yet (0 × 0) has no visible rectangle: nothing to say.
      if (!frame.success) return;
      const key = frameKey(frame.data);
      if (key === lastKey) return;
      lastKey = key;
      pace.offer(frame.data);
    };
    const dom = store.getState().domNode;
    const onMove = (e: PointerEvent) => {
      if (!usePresenter.getState().laser) return;
      const p = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }, { snapToGrid: false });
      pointer = { x: rounded(p.x, 1), y: rounded(p.y, 1) };
      presenterActions.pointedAt(pointer);
      offer();
    };
    const onLeave = () => {
      pointer = null;
      presenterActions.pointedAt(null);
      offer();
    };
    const onScroll = (e: Event) => {
      if (e.target instanceof HTMLElement && e.target.matches('aside[aria-label="inspector"]')) offer();
    };
    const unsubscribers = [
      store.subscribe((s, before) => {
        if (s.transform !== before.transform || s.width !== before.width || s.height !== before.height)
          offer();
      }),
      useUi.subscribe((s, before) => {
        if (
          s.selection !== before.selection ||
          s.netfilter !== before.netfilter ||
          s.drawer !== before.drawer
        )
          offer(); // the inspector's section follows with its scroll (it goes to the top on a new selection)
      }),
      usePresenter.subscribe((s, before) => {
        if (s.laser !== before.laser && !s.laser) onLeave();
      }),
    ];
    dom?.addEventListener('pointermove', onMove);
    dom?.addEventListener('pointerleave', onLeave);
    document.addEventListener('scroll', onScroll, true);
    offer();
    return () => {
      for (const stop of unsubscribers) stop();
      dom?.removeEventListener('pointermove', onMove);
      dom?.removeEventListener('pointerleave', onLeave);
      document.removeEventListener('scroll', onScroll, true);
      pace.cancel();
      presenterActions.pointedAt(null);
    };
  }, [leading, store, flow]);
}

function frameOf(
  transform: readonly [number, number, number],
  width: number,
  height: number,
  pointer: Point,
): unknown {
  const { selection, netfilter } = useUi.getState();
  const visible = visibleRect(transform, width, height);
  return {
    viewport: { x: rounded(transform[0]), y: rounded(transform[1]), zoom: rounded(transform[2], 4) },
    visible: {
      x: rounded(visible.x),
      y: rounded(visible.y),
      width: rounded(visible.width),
      height: rounded(visible.height),
    },
    selection,
    section: sectionAtTop(),
    netfilter,
    pointer,
  };
}
