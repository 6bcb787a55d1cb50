import { ROOT_CONTEXT } from '@netcanvas/model';
import { queryNamespaces, runBatchesInNamespaces } from './fanout';
import type { SessionPool } from './pool';
import { mapLimit } from './process';
import type { SessionRunResult } from './session';
import type { Target } from './target';

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
}

const CONCURRENCY = 4;

export function namespaceIo(mode: IoMode, target: Target, pool: SessionPool): NamespaceIo {
  const viaSessions: NamespaceIo = {
    async query(contexts, commands) {
      const out = new Map<string, unknown[]>();
      await mapLimit(contexts, CONCURRENCY, async (context) => {
        try {
          const session = pool.get(context);
          out.set(context, await Promise.all(commands.map((command) => session.query(command))));
        } catch (error) {
          if (context === ROOT_CONTEXT) throw error; // the lab's root cannot be gone
        }
      });
      return out;
    },
    async runBatches(batches) {
      const out = new Map<string, BatchResult>();
      await mapLimit(batches, CONCURRENCY, async ({ context, lines }) => {
        out.set(context, await pool.get(context).run(lines));
      });
      return out;
    },
  };
  if (mode === 'live') return viaSessions;
  return {
    async query(contexts, commands) {
      const named = contexts.filter((c) => c !== ROOT_CONTEXT);
      const [rootPart, rest] = await Promise.all([
        viaSessions.query(contexts.includes(ROOT_CONTEXT) ? [ROOT_CONTEXT] : [], commands),
        named.length > 0 ? queryNamespaces(target, named, commands) : new Map<string, unknown[]>(),
      ]);
      return new Map([...rootPart, ...rest]);
    },
    async runBatches(batches) {
      const rootBatches = batches.filter((b) => b.context === ROOT_CONTEXT);
      const named = batches.filter((b) => b.context !== ROOT_CONTEXT);
      const [rootPart, rest] = await Promise.all([
        viaSessions.runBatches(rootBatches),
        named.length > 0 ? runBatchesInNamespaces(target, named) : new Map<string, BatchResult>(),
      ]);
      return new Map([...rootPart, ...rest]);
    },
  };
}
