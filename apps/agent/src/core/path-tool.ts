import { LabInputError } from '@netcanvas/kernel';
import {
  ErrorCode,
  type CommandRecord,
  type PathCommand,
  type PathMessage,
  type PathResult,
} from '@netcanvas/model';
import type { ClientSession } from '../server';
import type { SessionCore } from './client-sessions';
import { readingNow } from './look-again';
import { toolRefusal } from './tool-refusal';

/**
 * The packet path tool (issue 12 §4): one trace at a time per client (each sends a real probe and
 * takes a second or two), its commands in the command log and the audit log like every other.
 * The request is checked by the kernel's front (`lab.tracePath`) before anything runs: a wrong
 * field is answered `rejected` with its name, nothing spawned.
 */
const tracing = new WeakSet<ClientSession>();

export async function answerPath(
  message: PathMessage,
  session: ClientSession,
  core: SessionCore,
): Promise<void> {
  if (tracing.has(session)) {
    session.send(
      toolRefusal(message.requestId, ErrorCode.busy, 'a packet path is already being traced', null),
    );
    return;
  }
  tracing.add(session);
  try {
    const { from, to, protocol, port } = message;
    const request = { from, to, protocol, ...(port !== undefined ? { port } : {}) };
    // What the kernel has now: a path asked right after an edit (an example opened, then a
    // trace from one of its namespaces) was traced on the state before it ("no namespace h1").
    const result = await core.lab.tracePath(request, await readingNow(core.live));
    session.send({ type: 'pathResult', requestId: message.requestId, result });
    const records = pathRecords(result, session.clientId);
    await core.audit.append(records, session.role);
    core.commandLog.remember(records);
  } catch (error) {
    if (!(error instanceof LabInputError)) throw error;
    session.send(toolRefusal(message.requestId, ErrorCode.invalid, error.message, error.field));
  } finally {
    tracing.delete(session);
  }
}

/** Every command the trace ran, in the order it ran them: counters, probe, counters, then each hop's. */
export function pathRecords(result: PathResult, by: string): CommandRecord[] {
  const [before, after] = [result.commands.slice(0, 2), result.commands.slice(2)];
  const all = [...before, result.probe, ...after, ...result.hops.flatMap((h) => h.commands)];
  const at = new Date().toISOString();
  return all.map((c: PathCommand) => ({
    at,
    by,
    context: c.context,
    argv: c.argv,
    reason: `packet path ${result.request.from} → ${result.request.to}`,
    exitCode: c.exitCode,
    stderr: c.stderr,
    durationMs: c.durationMs,
  }));
}
