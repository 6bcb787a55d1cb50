import { describe, expect, it } from 'vitest';
import type { Lab, LiveState } from '@netcanvas/kernel';
import { emptyTopology } from '@netcanvas/model';
import type { AuditLog } from '../src/core/audit-log';
import type { DocumentStore } from '../src/core/document-store';
import { Writer } from '../src/core/writer';
import { observedWith } from './helpers/observed';

/**
 * The writer holds the live state's other reads from before it reads the kernel for an edit
 * (LiveState.holdReads): taken after that reading, a sweep's slice started between it and the
 * plan and ran beside the check, the save and the apply (docs/benchmarks.md, "Edits, session 14").
 */

const observed = observedWith([]);

/** A live state that records, in order, the holds taken and released and the readings asked for. */
function recordingLive() {
  const calls: string[] = [];
  const live = {
    observed,
    holdReads: () => {
      calls.push('hold');
      return () => calls.push('release');
    },
    fresh: async () => {
      calls.push('fresh');
      return observed;
    },
    readFirewallsOf: () => undefined,
    invalidateUnwatched: () => undefined,
  };
  return { calls, live: live as unknown as LiveState };
}

describe('writer: the reads held for an edit', () => {
  it('are held from before its reading of the kernel, and released when it answers (a refusal too)', async () => {
    const { calls, live } = recordingLive();
    const lab = { isGone: () => false } as unknown as Lab;
    const writer = new Writer(
      lab,
      {} as DocumentStore,
      live,
      {} as AuditLog,
      { committed: () => undefined },
      { version: 1, document: emptyTopology() },
    );
    const reply = await writer.edit(
      { type: 'edit', requestId: 'r1', baseVersion: 1, edits: [{ type: 'removeNamespace', name: 'nope' }] },
      'tester',
      'editor',
    );
    expect(reply.type).toBe('rejected');
    expect(calls).toEqual(['hold', 'fresh', 'release']);
  });
});
