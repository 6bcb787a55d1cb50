import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClientMessage, ServerMessage } from '../src/protocol';
import { CHECKPOINT_MESSAGES, checkpointNameProblem } from '../src/protocol-checkpoint';
import { StudentStatus } from '../src/protocol-class';

/** The paths at which a client message is refused (none: it parses). */
const refusedAt = (value: unknown): string[] => {
  const parsed = ClientMessage.safeParse(value);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
};

describe('checkpointDelete on the wire', () => {
  it('parses a delete of a named checkpoint, and its answer', () => {
    expect(refusedAt({ type: 'checkpointDelete', requestId: 'r1', name: 'step-2' })).toEqual([]);
    expect(
      ServerMessage.safeParse({ type: 'checkpointDeleted', requestId: 'r1', name: 'step-2' }).success,
    ).toBe(true);
    expect(CHECKPOINT_MESSAGES).toContain('checkpointDelete');
  });

  it('refuses at name whatever the agent would refuse as a file name, as it refuses it for a save', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (name) => {
        const del = refusedAt({ type: 'checkpointDelete', requestId: 'r1', name });
        const save = refusedAt({ type: 'checkpointSave', requestId: 'r1', name });
        expect(del).toEqual(save);
        expect(del.length === 0).toBe(checkpointNameProblem(name) === null);
        if (del.length > 0) expect(del).toContain('name');
      }),
    );
    expect(refusedAt({ type: 'checkpointDelete', requestId: 'r1', name: '../x' })).toContain('name');
    expect(refusedAt({ type: 'checkpointDelete', requestId: 'r1', name: 'a', extra: 1 })).not.toEqual([]);
  });
});

describe("the class's reset to a checkpoint", () => {
  it('takes a checkpoint name, checked as a checkpoint name', () => {
    const reset = (to: unknown) => refusedAt({ type: 'classReset', requestId: 'r1', students: ['s01'], to });
    expect(reset({ checkpoint: 'lesson-2' })).toEqual([]);
    expect(reset({ start: true })).toEqual([]);
    expect(reset({ checkpoint: '../../etc' }).length).toBeGreaterThan(0);
  });

  it("says each student's checkpoints in its status (what the overview offers)", () => {
    const status = {
      id: 's01',
      lab: 'week3-s01',
      origin: 'http://127.0.0.1:7879',
      state: 'ready',
      problem: null,
      editorUrl: null,
      viewerUrl: null,
      clients: 0,
      version: 3,
      miniature: { nodes: [], edges: [] },
      goals: null,
      checkpoints: ['step-1', 'lesson-2'],
    };
    expect(StudentStatus.parse(status).checkpoints).toEqual(['step-1', 'lesson-2']);
    const { checkpoints: _, ...without } = status;
    expect(StudentStatus.safeParse(without).success).toBe(false);
  });
});
