import type { Page } from '@playwright/test';

/** A message the page sent its agent, as far as the specs read it. */
export interface SentMessage {
  type: string;
  edits?: { type: string }[];
}

/**
 * Every message the page sends its agent from now on, parsed, in order (the array fills as they
 * go): what a spec checks when it says "nothing was sent" or "one edit, a replace".
 */
export function recordSent(page: Page): SentMessage[] {
  const sent: SentMessage[] = [];
  page.on('websocket', (ws) =>
    ws.on('framesent', (f) => sent.push(JSON.parse(String(f.payload)) as SentMessage)),
  );
  return sent;
}
