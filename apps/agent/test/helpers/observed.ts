import type { ObservedState } from '@netcanvas/model';

/** An observed state of a sandbox lab with these namespaces, empty (for the agent's unit tests). */
export const observedWith = (names: readonly string[]): ObservedState => ({
  target: { kind: 'sandbox', lab: 'fake', pid: 1 },
  takenAt: new Date(0).toISOString(),
  namespaces: names.map((name) => ({ name, managed: true, interfaces: [], fdb: [] })),
});
