import type { Lab } from '@netcanvas/kernel';
import {
  ROOT,
  emptyTopology,
  findInterface,
  recoverTopology,
  stepText,
  type ObservedState,
  type Topology,
} from '@netcanvas/model';
import { deletes } from './destructive';
import type { DocumentStore, Versioned } from './document-store';

/**
 * The document the agent starts from. A saved one is used as it is. When there is none, or the
 * file is damaged, the lab may still hold what netcanvas made (its objects carry the ownership
 * marks): then the document is recovered from the kernel and saved, and the damaged file is kept
 * aside. Starting empty over an owned lab would delete the last copy of the user's network.
 */
export interface StartupDocument {
  state: Versioned;
  /** Set when the document was rebuilt from the kernel: reconcile must delete nothing. */
  recovered: boolean;
  /** What the agent should say about it, one line each. */
  notes: string[];
}

export async function startupDocument(store: DocumentStore, lab: Lab): Promise<StartupDocument> {
  const loaded = await store.load();
  if (loaded.status === 'saved') return { state: loaded.state, recovered: false, notes: [] };
  const notes: string[] = [];
  if (loaded.status === 'unreadable') {
    const aside = await store.quarantine();
    notes.push(`the saved topology ${store.file} is ${loaded.reason}; kept it as ${aside}`);
  }
  const observed = await lab.observe();
  const recovered = ownsAnything(observed) ? recoverTopology(observed) : null;
  if (recovered === null || Object.values(recovered.counts).every((n) => n === 0)) {
    if (loaded.status === 'unreadable') notes.push('the lab holds nothing netcanvas made: starting empty');
    return { state: { version: 0, document: emptyTopology() }, recovered: false, notes };
  }
  const { namespaces, bridges, links, routes, rules } = recovered.counts;
  const state = { version: 1, document: recovered.document };
  await store.save(state);
  notes.push(
    `recovered the topology from the kernel's owned objects (${namespaces} namespaces, ${bridges} bridges, ` +
      `${links} veth pairs, ${routes} routes, ${rules} firewall rules) and saved it as ${store.file}`,
  );
  for (const what of recovered.unrecovered) notes.push(`not recovered: ${what}`);
  notes.push(...(await releaseWhatTheDocumentLacks(lab, recovered.document)));
  return { state, recovered: true, notes };
}

/**
 * What the recovered document cannot hold would be deleted by the next plan, as an owned object
 * the topology does not want. The user never asked for that: the lab lets go of those
 * interfaces and namespaces instead (they stay, shown as made by hand, adoptable). Addresses,
 * routes and rules have no mark to remove; they are listed.
 */
async function releaseWhatTheDocumentLacks(lab: Lab, document: Topology): Promise<string[]> {
  const notes: string[] = [];
  for (let pass = 0; pass < 3; pass++) {
    const observed = await lab.observe();
    const deleting = lab.plan(document, observed).steps.filter(deletes);
    const release = { namespaces: [] as string[], interfaces: [] as { context: string; ifname: string }[] };
    for (const step of deleting) {
      if (step.effect.deletesNamespace !== undefined) release.namespaces.push(step.effect.deletesNamespace);
      for (const ifname of step.effect.deletesLinks ?? []) {
        release.interfaces.push({ context: step.context, ifname });
        const peer = findInterface(observed, step.context, ifname)?.peer;
        if (peer?.namespace && peer.ifname)
          release.interfaces.push({ context: peer.namespace, ifname: peer.ifname });
      }
    }
    if (release.namespaces.length + release.interfaces.length === 0) {
      for (const step of deleting)
        notes.push(`not in the recovered document, so the next edit removes it: ${stepText(step)}`);
      break;
    }
    await lab.release(release);
    for (const name of release.namespaces)
      notes.push(`namespace ${name} is no longer netcanvas's (kept as it is; adopt it to take it back)`);
    for (const i of release.interfaces)
      notes.push(
        `interface ${i.ifname} in ${i.context} is no longer netcanvas's (kept as it is; adopt it to take it back)`,
      );
  }
  return notes;
}

/** Whether the lab holds anything with netcanvas's mark (a new, empty lab does not). */
function ownsAnything(observed: ObservedState): boolean {
  return observed.namespaces.some(
    (ns) =>
      (ns.name !== ROOT && ns.managed) ||
      ns.interfaces.some((i) => i.managed) ||
      (ns.routes ?? []).some((r) => r.managed) ||
      (ns.firewall?.rules ?? []).some((r) => r.managed),
  );
}
