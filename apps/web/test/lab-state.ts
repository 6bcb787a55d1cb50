import {
  emptyTopology,
  PROTOCOL_VERSION,
  validateTopology,
  type ObservedInterface,
  type ObservedNamespace,
  type ObservedState,
  type ServerMessage,
  type Topology,
} from '@netcanvas/model';
import { buildGraph } from '../src/adapters/graph';
import type { Graph } from '../src/adapters/types';

/**
 * Test helpers: a valid document from raw input, an observed state from its namespaces, and the
 * canvas's graph of both (an editor's, nothing pending).
 */

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

/** An observed state from each namespace's interfaces, by name (the lab's, no learned MACs). */
export const observedOf = (
  namespaces: Record<string, ObservedInterface[]>,
  extra: Partial<ObservedNamespace> = {},
): ObservedState =>
  observedState(
    ...Object.entries(namespaces).map(([name, interfaces]) => observedNs(name, interfaces, extra)),
  );

export const graphOf = (document: Topology, observed: ObservedState | null = null): Graph =>
  buildGraph({ document, observed, editable: true, pending: {}, local: {} });

/** A welcome to an empty sandbox lab named "test", version 0, nothing observed: `over` changes it. */
export const welcomeMessage = (
  over: Partial<Extract<ServerMessage, { type: 'welcome' }>> = {},
): Extract<ServerMessage, { type: 'welcome' }> => ({
  type: 'welcome',
  protocolVersion: PROTOCOL_VERSION,
  role: 'editor',
  clientId: 'c-0011aabb',
  lab: { name: 'test', kind: 'sandbox' },
  version: 0,
  document: emptyTopology(),
  observed: { target: { kind: 'sandbox', lab: 'test', pid: 0 }, takenAt: '', namespaces: [] },
  log: [],
  ...over,
});
