import { useCallback, useSyncExternalStore } from 'react';
import {
  NARROW_BELOW_PX,
  SHORT_BELOW_PX,
  panelActions,
  panelOpen,
  usePanels,
  type PanelName,
} from '../store/panels';

const NARROW_QUERY = `(max-width: ${NARROW_BELOW_PX - 0.02}px)`;
const SHORT_QUERY = `(max-height: ${SHORT_BELOW_PX - 0.02}px)`;

/** Whether a media query matches, followed as the window is resized. */
function useMedia(query: string): boolean {
  const subscribe = useCallback(
    (changed: () => void) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', changed);
      return () => list.removeEventListener('change', changed);
    },
    [query],
  );
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(query).matches,
    () => false,
  );
}

/** The window is narrower than NARROW_BELOW_PX: the inspector is a drawer, the palette starts folded. */
export const useNarrow = (): boolean => useMedia(NARROW_QUERY);

/** Whether a panel is open, and its fold/open switch (remembered across reloads). */
export function usePanel(name: PanelName): { open: boolean; toggle: () => void } {
  const narrow = useNarrow();
  const short = useMedia(SHORT_QUERY);
  const open = usePanels((s) => panelOpen(s, name, { narrow, short }));
  const toggle = useCallback(() => panelActions.set(name, !open), [name, open]);
  return { open, toggle };
}
