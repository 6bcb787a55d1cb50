import type { Step } from '@netcanvas/model';

/**
 * Which planned steps destroy something. Two promises rest on it: an adopt never deletes what it
 * adopts (whatever a read says, the writer drops such a step and says so), and a reconcile after
 * the document was recovered from the kernel deletes nothing.
 */

/** A step that deletes a namespace, an interface, an address, a route or a rule. */
export const deletes = (step: Step): boolean => step.effect.destroys;

/** A `link del` or `netns del` of something this edit adopts. */
export function deletesAdopted(
  step: Step,
  adopted: { namespaces: string[]; interfaces: { context: string; ifname: string }[] },
): boolean {
  const { deletesNamespace, deletesLinks = [] } = step.effect;
  if (deletesNamespace !== undefined) return adopted.namespaces.includes(deletesNamespace);
  if (deletesLinks.length === 0) return false;
  return (
    adopted.interfaces.some((i) => i.context === step.context && deletesLinks.includes(i.ifname)) ||
    adopted.namespaces.includes(step.context)
  );
}
