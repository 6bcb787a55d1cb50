import { create } from 'zustand';

/** The panels beside the canvas that a person can fold away. */
export type PanelName = 'palette' | 'inspector' | 'log';

/** What a person chose for each panel (open or folded); a panel they never touched follows the window. */
export type PanelChoices = Partial<Record<PanelName, boolean>>;

const STORAGE_KEY = 'netcanvas.panels';

/**
 * Below this window width the inspector lies over the canvas (a drawer) instead of beside it, and
 * the palette starts folded; below this height the command log starts folded (its bar still says
 * the count and the last command). At 1024×700 the canvas keeps over 80 % of the window.
 */
export const NARROW_BELOW_PX = 1280;
export const SHORT_BELOW_PX = 800;

/** The window's size class, as the panels' defaults need it. */
export interface WindowClass {
  narrow: boolean;
  short: boolean;
}

/** The stored choices, read strictly: anything but booleans under the known names is ignored. */
export function parseChoices(text: string | null): PanelChoices {
  if (!text) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof value !== 'object' || value === null) return {};
  const out: PanelChoices = {};
  for (const name of ['palette', 'inspector', 'log'] as const) {
    const open = (value as Record<string, unknown>)[name];
    if (typeof open === 'boolean') out[name] = open;
  }
  return out;
}

/** Open unless folded by choice; the palette starts folded in a narrow window, the log in a short one. */
export function panelOpen(choices: PanelChoices, name: PanelName, window: WindowClass): boolean {
  return choices[name] ?? !((name === 'palette' && window.narrow) || (name === 'log' && window.short));
}

function load(): PanelChoices {
  try {
    return parseChoices(localStorage.getItem(STORAGE_KEY));
  } catch {
    return {};
  }
}

export const usePanels = create<PanelChoices>(load);

export const panelActions = {
  /** Folds or opens a panel, and remembers it across reloads. */
  set(name: PanelName, open: boolean): void {
    usePanels.setState({ [name]: open });
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(usePanels.getState()));
    } catch {
      // Storage refused (a private window's quota): the choice lasts this page.
    }
  },
};
