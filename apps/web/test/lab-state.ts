import {
  validateTopology,
  type ObservedNamespace,
  type ObservedState,
  type Topology,
} from '@netcanvas/model';

/** Test helpers: a valid document from raw input, and an observed state from its namespaces. */

export const validDoc = (raw: unknown): Topology => {
  const r = validateTopology(raw);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.value;
};

/** A namespace as the kernel reports it: the lab's, with no learned MACs unless given. */
export const observedNs = (
  name: string,
  interfaces: ObservedNamespace['interfaces'],
  extra: Partial<ObservedNamespace> = {},
): ObservedNamespace => ({ name, managed: true, interfaces, fdb: [], ...extra });

export const observedState = (...namespaces: ObservedNamespace[]): ObservedState => ({
  target: { kind: 'sandbox', lab: 'test', pid: 1 },
  takenAt: new Date(0).toISOString(),
  namespaces,
});
