import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ROOT } from '@netcanvas/model';
import { benchToggles } from './bench-toggles';
import { oneShotFirewallBatch, queryNamespaces, runBatchesInNamespaces, type FirewallBatch } from './fanout';
import type { SessionPool } from './pool';
import { mapLimit, run, type RunResult } from './process';
import type { SessionRunResult } from './session';
import { labDir } from './paths';
import { inNamespace, type Target } from './target';

/**
 * How a lab talks to its namespaces. `live` (the agent): a long-lived `ip -batch` session per
 * namespace, ~0.1 ms a command once started. `oneshot` (the CLI): the lab's root session, and for
 * the namespaces one fan-out through `ip netns exec` (see fanout.ts), so a command that runs once
 * does not pay a spawn from Node per namespace.
 */
export type IoMode = 'live' | 'oneshot';

export type BatchResult = SessionRunResult | 'not-run';

export interface NamespaceIo {
  /** JSON show commands (e.g. `addr show`) in each context, one answer each; contexts that are gone are left out. */
  query(contexts: readonly string[], commands: readonly string[]): Promise<Map<string, unknown[]>>;
  /** Each context's lines as one batch, stopping at its first failing line. */
  runBatches(
    batches: readonly { context: string; lines: readonly string[] }[],
  ): Promise<Map<string, BatchResult>>;
  /**
   * The links a read found in a context. A session that knew links now gone or renamed is
   * renewed; true then (what that read printed from the session's cache may be stale).
   */
  noteLinks(context: string, links: Iterable<{ ifindex: number; ifname: string }>): boolean;
  /**
   * Renews every long-lived session. Deleting a veth deletes its peer too, in whatever namespace
   * it is, without any session that cached the peer's name hearing of it; a link of that name made
   * again in the same apply would be reached through the dead index (ENODEV).
   */
  renewSessions(): void;
  /** One command that is not `ip` (iptables in the lab's root), as a process of its own in `context`. */
  exec(context: string, argv: readonly string[]): Promise<RunResult>;
  /** One group of a firewall read's `netns exec` lines (see fanout.ts FirewallBatch). */
  firewallBatch: FirewallBatch;
}

const CONCURRENCY = 4;
/** Said of a batch no session would run twice over: never "already gone" (apply.ts `alreadyGone`). */
export const NOT_STARTED = 'not run: the ip session ended before it';
/** Beyond this many lines, a new namespace's own session is cheaper than a fork per line. */
const VIA_ROOT_MAX_LINES = 8;

/**
 * One context's answers. A session can end under a query (killed, or its namespace deleted between
 * listing and spawn): it is re-opened once and asked again. A namespace that still fails is gone;
 * the lab's root cannot be, so that is an error.
 */
async function queryContext(pool: SessionPool, context: string, commands: readonly string[]) {
  const ask = () => {
    const session = pool.get(context);
    return Promise.all(commands.map((command) => session.query(command)));
  };
  try {
    return await ask();
  } catch {
    try {
      return await ask();
    } catch (error) {
      if (context !== ROOT) return null;
      throw new Error(
        `cannot read the lab's root: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

/**
 * A new namespace's lines through the root's session: one `netns exec NS ip -batch FILE` line, so
 * one fork and exec of ip (each also unshares a mount namespace and mounts /sys) for them all, not
 * one a line (docs/benchmarks.md, "Edits, session 10"). A failing line is named by the inner
 * batch's `Command failed FILE:N`.
 */
async function runViaRoot(
  pool: SessionPool,
  target: Target,
  context: string,
  lines: readonly string[],
): Promise<SessionRunResult> {
  if (lines.length === 1) return pool.forApply(ROOT).run([`netns exec ${context} ip ${lines[0]}`]);
  const dir = path.join(labDir(target.lab), 'batches');
  const file = path.join(dir, `${context}.${randomBytes(4).toString('hex')}`);
  await mkdir(dir, { recursive: true });
  await writeFile(file, lines.join('\n') + '\n', { mode: 0o600 });
  try {
    const result = await pool.forApply(ROOT).run([`netns exec ${context} ip -batch ${file}`]);
    if (result.ok || result.notStarted) return result;
    const inner = /Command failed (\S+):(\d+)/.exec(result.stderr);
    return {
      ...result,
      failedIndex: inner?.[1] === file ? Number(inner[2]) - 1 : 0,
      stderr: result.stderr.replace(/Command failed \S+:\d+\s*/g, '').trim(),
    };
  } finally {
    await rm(file, { force: true });
  }
}

/** One context's batch; a session that cannot run it (ended, or failed to start) is a failed batch. */
async function runContext(
  pool: SessionPool,
  target: Target,
  context: string,
  lines: readonly string[],
): Promise<BatchResult> {
  const started = performance.now();
  // A namespace this apply has just made has no session yet. A few lines go through the root's
  // session as `netns exec` lines instead (ip forks and execs ip: a few ms each), so the edit does
  // not wait for a session spawned from Node (~40 ms at 200 namespaces, measured: docs/benchmarks.md,
  // "The agent at rest"); the namespace's own session opens with the read that follows. (The
  // benchmarks' `own-session` spawns it here instead: "Edits, 2026-12-02 (session 9)".)
  const viaRoot =
    benchToggles.newNamespaceLines === 'via-root' &&
    context !== ROOT &&
    !pool.has(context) &&
    lines.length <= VIA_ROOT_MAX_LINES;
  const runner = viaRoot ? ROOT : context;
  const runOnce = async (): Promise<SessionRunResult> => {
    try {
      return await (viaRoot ? runViaRoot(pool, target, context, lines) : pool.forApply(runner).run(lines));
    } catch (error) {
      const stderr = `ip session failed: ${error instanceof Error ? error.message : String(error)}`;
      return { ok: false, failedIndex: 0, stderr, exitCode: 1, durationMs: performance.now() - started };
    }
  };
  let result = await runOnce();
  // The session ended under someone else's line before any of these ran: they go to a new one.
  // Taken as theirs, that line's "does not exist" made a `netns del` count as already done.
  if (!result.ok && result.notStarted) {
    pool.retire(runner);
    result = await runOnce();
    if (!result.ok && result.notStarted) {
      const { notStarted: _twice, ...failed } = result;
      result = { ...failed, stderr: `${NOT_STARTED}: ${failed.stderr}` };
    }
  }
  // A failing line ends a session (no -force), so this is already so; said here so a session that
  // met a missing device (`Cannot find device`) is never asked again. A session that deleted a
  // namespace it holds an fd to (see IpSession.namespacesHeld) goes too, or the namespace lives on.
  if (!result.ok || lines.some((line) => line.startsWith('netns del '))) pool.retire(runner);
  return result;
}

export function namespaceIo(mode: IoMode, target: Target, pool: SessionPool): NamespaceIo {
  const viaSessions: NamespaceIo = {
    async query(contexts, commands) {
      const out = new Map<string, unknown[]>();
      await mapLimit(contexts, CONCURRENCY, async (context) => {
        const answers = await queryContext(pool, context, commands);
        if (answers) out.set(context, answers);
      });
      return out;
    },
    async runBatches(batches) {
      const out = new Map<string, BatchResult>();
      await mapLimit(batches, CONCURRENCY, async ({ context, lines }) => {
        out.set(context, await runContext(pool, target, context, lines));
      });
      return out;
    },
    noteLinks: (context, links) => pool.noteLinks(context, links),
    renewSessions: () => pool.retireAll(),
    exec: (context, argv) => run(inNamespace(target, context, argv)),
    firewallBatch: async (group, lines) => {
      if (benchToggles.firewallReading === 'spawned') return oneShotFirewallBatch(target)(group, lines);
      // The reader ended under these lines (killed, say: its end may not have been seen when they
      // were given to it, on a loaded machine): once more on a new reader, which replaces it for
      // the reads after, then one-shot. The lines only read (iptables-save), so twice is harmless.
      for (let attempt = 0; attempt < 2; attempt++)
        if ((await pool.firewallReader(group).run(lines)).ok) return;
      await oneShotFirewallBatch(target)(group, lines);
    },
  };
  if (mode === 'live') return viaSessions;
  return {
    async query(contexts, commands) {
      const named = contexts.filter((c) => c !== ROOT);
      const [rootPart, rest] = await Promise.all([
        viaSessions.query(contexts.includes(ROOT) ? [ROOT] : [], commands),
        named.length > 0 ? queryNamespaces(target, named, commands) : new Map<string, unknown[]>(),
      ]);
      return new Map([...rootPart, ...rest]);
    },
    async runBatches(batches) {
      const rootBatches = batches.filter((b) => b.context === ROOT);
      const named = batches.filter((b) => b.context !== ROOT);
      const [rootPart, rest] = await Promise.all([
        viaSessions.runBatches(rootBatches),
        named.length > 0 ? runBatchesInNamespaces(target, named) : new Map<string, BatchResult>(),
      ]);
      return new Map([...rootPart, ...rest]);
    },
    noteLinks: viaSessions.noteLinks,
    renewSessions: viaSessions.renewSessions,
    exec: viaSessions.exec,
    firewallBatch: oneShotFirewallBatch(target),
  };
}
