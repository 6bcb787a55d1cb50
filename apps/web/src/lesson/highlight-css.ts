import type { Highlight } from '@netcanvas/model';

/**
 * What a lesson step points at, as CSS selectors of what the page already draws (its accessible
 * names, React Flow's node ids): a pulsing ring is drawn on them by one `<style>` (LessonHighlights),
 * so no component needs to know about lessons. A name the page does not draw selects nothing.
 */

/** The inspector's sections a step may name (`highlight: [{ inspector: firewall }]`), by name. */
export const INSPECTOR_SECTIONS: Readonly<Record<string, string[]>> = {
  lo: ['button[aria-label^="bring lo up in "]', 'button[aria-label^="take lo down in "]'],
  kernel: ['section[aria-label="What the kernel says"]'],
  firewall: ['section[aria-label="Firewall (iptables)"]'],
  routing: ['section[aria-label="Routing"]'],
  forwarding: ['label:has(> input[aria-label^="IP forwarding in "])'],
  ping: ['section[aria-label="ping tool"]'],
  path: ['section[aria-label="packet path tool"]'],
  capture: ['section[aria-label="packet capture"]'],
  macs: ['section[aria-label="learned MAC addresses"]'],
  stp: ['section[aria-label="spanning tree"]'],
  ports: ['section[aria-label="ports"]'],
  effects: ['section[aria-label^="link effects of "]'],
  terminal: ['section[aria-label="terminal"]'],
};

/** The tools a step may name (`highlight: [{ tool: terminal }]`). */
const TOOLS: Readonly<Record<string, string[]>> = {
  terminal: ['button[aria-label^="open a terminal in "]', ...(INSPECTOR_SECTIONS.terminal ?? [])],
  capture: INSPECTOR_SECTIONS.capture ?? [],
  path: INSPECTOR_SECTIONS.path ?? [],
  ping: INSPECTOR_SECTIONS.ping ?? [],
  netfilter: ['button[aria-label^="show the picture of netfilter in "]'],
  log: ['section[aria-label="command log"]'],
};

/** A value in a CSS attribute selector: quoted, its quotes and backslashes escaped. */
const quoted = (value: string): string => `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/** The selectors of what one highlight points at (none for a name the page does not draw). */
export function highlightSelectors(h: Highlight): string[] {
  if ('palette' in h) return [`button[aria-label=${quoted(`add ${h.palette}`)}]`];
  if ('node' in h) return [`.react-flow__node[data-id=${quoted(h.node)}]`];
  if ('link' in h) {
    const { node, ifname } = h.link;
    return [
      `[aria-label=${quoted(`interface ${ifname} in ${node}`)}]`,
      `[aria-label=${quoted(`port ${ifname} of ${node}`)}]`,
    ];
  }
  if ('inspector' in h) return INSPECTOR_SECTIONS[h.inspector] ?? [];
  return TOOLS[h.tool] ?? [];
}

/** The `<style>` text that rings every highlighted thing: a pulse, or a still ring for reduced motion. */
export function highlightCss(highlights: readonly Highlight[]): string {
  const selectors = [...new Set(highlights.flatMap(highlightSelectors))];
  if (selectors.length === 0) return '';
  const list = selectors.join(',\n');
  return `@keyframes nc-lesson-pulse {
  0%, 100% { box-shadow: 0 0 0 3px rgb(217 70 239 / 0.9), 0 0 0 6px rgb(217 70 239 / 0.25); }
  50% { box-shadow: 0 0 0 3px rgb(217 70 239 / 0.9), 0 0 0 14px rgb(217 70 239 / 0); }
}
${list} {
  border-radius: 8px;
  box-shadow: 0 0 0 3px rgb(217 70 239 / 0.9);
  animation: nc-lesson-pulse 1.6s ease-in-out infinite;
}
@media (prefers-reduced-motion: reduce) {
  ${selectors.join(', ')} { animation: none; }
}
`;
}
