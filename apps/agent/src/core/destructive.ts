import type { Step } from '@netcanvas/model';

/**
 * Which planned steps destroy something. Two promises rest on it: an adopt never deletes what it
 * adopts (whatever a read says, the writer drops such a step and says so), and a reconcile after
 * the document was recovered from the kernel deletes nothing.
 */

/** A step that deletes a namespace, an interface, an address, a route or a rule. */
export function deletes(step: Step): boolean {
  const a = step.argv;
  return a.some(
    (arg, i) =>
      (arg === 'del' && ['link', 'netns', 'addr', 'route'].includes(a[i - 1] ?? '')) ||
      (a.includes('iptables') && ['-D', '-F', '-X'].includes(arg)),
  );
}

/** A `link del` or `netns del` of something this edit adopts. */
export function deletesAdopted(
  step: Step,
  adopted: { namespaces: string[]; interfaces: { context: string; ifname: string }[] },
): boolean {
  const a = step.argv;
  const at = a.indexOf('del');
  if (at < 1) return false;
  if (a[at - 1] === 'netns') return adopted.namespaces.includes(a[at + 1] ?? '');
  if (a[at - 1] !== 'link') return false;
  const dev = a[a.indexOf('dev', at) + 1];
  return (
    adopted.interfaces.some((i) => i.context === step.context && i.ifname === dev) ||
    adopted.namespaces.includes(step.context)
  );
}
