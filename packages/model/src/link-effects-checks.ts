import { helperPart } from './link-effects';
import type { LinkSpec, Topology } from './topology';

/**
 * What the document may not ask of link effects across objects: a bridge port's delay, loss… are
 * done at its peer (docs/link-effects.md), so a link between two bridges can only take a rate.
 */
export function effectsIssues(
  doc: Topology,
  link: LinkSpec,
  at: string,
  add: (path: string, message: string) => void,
): void {
  const isBridge = (node: string) => doc.bridges.some((br) => br.name === node);
  if (!isBridge(link.a.node) || !isBridge(link.b.node)) return;
  for (const side of ['a', 'b'] as const)
    if (helperPart(link[side].effects))
      add(
        `${at}.${side}.effects`,
        `"${link[side].ifname}" joins two bridges: only a rate can be set on it (delay, loss and the rest are done where a namespace ends the link)`,
      );
}
