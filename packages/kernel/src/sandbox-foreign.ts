import { z } from 'zod';
import { OWNED_GROUP } from './commands';
import { listNamespaceNames } from './observe';
import { run } from './process';
import { inTarget, type Target } from './target';

/**
 * What a sandbox holds that would stop `destroy` from removing it whole, found without reading
 * every namespace: namespaces the lab does not own (their names, no process), and interfaces in
 * the lab's root without the lab's mark (one `ip -j link show` there: names and groups only, not
 * the observer's addresses, details and counters). Said as `foreignObjects` says it.
 *
 * Inside a namespace the lab owns, anything is the lab's to remove: deleting the namespace takes
 * what was made there by hand with it, as it always did (a plan to empty deletes the namespace
 * too). So those namespaces are not read, which at 1,000 namespaces was most of destroy's time:
 * a process per namespace (docs/benchmarks.md, "1,000 namespaces").
 */
export async function sandboxForeignObjects(target: Target, owned: ReadonlySet<string>): Promise<string[]> {
  const [names, links] = await Promise.all([
    listNamespaceNames(target),
    run(inTarget(target, ['ip', '-j', 'link', 'show'])),
  ]);
  // The lab's root cannot be gone while its holder lives: no answer is an error, not "empty".
  if (links.exitCode !== 0)
    throw new Error(`could not read the lab's root interfaces: ${links.stderr.trim()}`);
  return [
    ...names.filter((name) => !owned.has(name)).map((name) => `namespace ${name}`),
    ...RootLinks.parse(JSON.parse(links.stdout))
      .filter((link) => String(link.group) !== String(OWNED_GROUP) && link.ifname !== 'lo')
      .map((link) => `interface ${link.ifname} in the lab's root`),
  ];
}

/** What is read of each root interface: its name and link group (the lab's mark, see commands.ts). */
const RootLinks = z.array(z.object({ ifname: z.string(), group: z.union([z.string(), z.number()]) }));
