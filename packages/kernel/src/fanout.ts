import { randomBytes } from 'node:crypto';
import { ROOT } from '@netcanvas/model';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { JsonStream } from './json-stream';
import { labDir } from './paths';
import { mapLimit, run } from './process';
import type { SessionRunResult } from './session';
import { inTarget, type Target } from './target';

/**
 * Work in many namespaces at once, without a process spawned from Node per namespace.
 *
 * A spawn from Node costs ~3 ms, and grows with Node's heap (fork copies its page tables: 31 ms
 * with 400 MB allocated, measured here). `ip` is small: an `ip -batch -` in the lab's root whose
 * lines are `netns exec NS ip ...` forks cheaply. Two such processes share the namespaces (the
 * machine has two cores). For one-shot work (the CLI); the agent keeps a session per namespace.
 */

const GROUPS = 2;

const split = <T>(items: readonly T[], groups: number): T[][] => {
  const size = Math.ceil(items.length / groups);
  return Array.from({ length: groups }, (_, g) => items.slice(g * size, (g + 1) * size)).filter(
    (g) => g.length > 0,
  );
};

/**
 * Runs each namespace's lines as one `ip -batch FILE` inside it. A namespace's batch stops at its
 * first failing line; the group it is in stops there too (the rest are reported as not run).
 */
export async function runBatchesInNamespaces(
  target: Target,
  batches: readonly { context: string; lines: readonly string[] }[],
): Promise<Map<string, SessionRunResult | 'not-run'>> {
  const dir = path.join(labDir(target.lab), 'batches', randomBytes(6).toString('hex'));
  await mkdir(dir, { recursive: true });
  const results = new Map<string, SessionRunResult | 'not-run'>();
  try {
    await Promise.all(batches.map((b, i) => writeFile(path.join(dir, String(i)), b.lines.join('\n') + '\n')));
    const indexed = batches.map((b, i) => ({ ...b, file: path.join(dir, String(i)) }));
    await mapLimit(split(indexed, GROUPS), GROUPS, async (group) => {
      const outer = group.map((b) => `netns exec ${b.context} ip -batch ${b.file}`).join('\n') + '\n';
      const result = await run(inTarget(target, ['ip', '-batch', '-']), { input: outer });
      const perLine =
        result.durationMs /
        Math.max(
          1,
          group.reduce((n, b) => n + b.lines.length, 0),
        );
      const outerFailed = /Command failed -:(\d+)/.exec(result.stderr);
      const failedAt = result.exitCode === 0 ? group.length : outerFailed ? Number(outerFailed[1]) - 1 : 0;
      group.forEach((b, i) => {
        const durationMs = perLine * b.lines.length;
        if (i < failedAt) results.set(b.context, { ok: true, durationMs });
        else if (i > failedAt) results.set(b.context, 'not-run');
        else {
          const inner = new RegExp(`Command failed ${escape(b.file)}:(\\d+)`).exec(result.stderr);
          results.set(b.context, {
            ok: false,
            failedIndex: inner ? Number(inner[1]) - 1 : 0,
            stderr: result.stderr.replace(/Command failed \S+:\d+\s*/g, '').trim(),
            exitCode: result.exitCode,
            durationMs,
          });
        }
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return results;
}

/**
 * Runs JSON show commands in each namespace (one `ip -j -d -s -force -batch FILE` there, so one
 * exec per namespace however many commands); a namespace that is gone is left out.
 */
export async function queryNamespaces(
  target: Target,
  names: readonly string[],
  commands: readonly string[],
): Promise<Map<string, unknown[]>> {
  const out = new Map<string, unknown[]>();
  const dir = path.join(labDir(target.lab), 'queries', randomBytes(6).toString('hex'));
  await mkdir(dir, { recursive: true });
  try {
    const file = path.join(dir, 'commands');
    await writeFile(file, commands.join('\n') + '\n');
    await mapLimit(split(names, GROUPS), GROUPS, async (group) => {
      const lines =
        group.map((name) => `netns exec ${name} ip -j -d -s -force -batch ${file}`).join('\n') + '\n';
      // -force: a namespace deleted meanwhile fails its line, and the others still answer.
      const result = await run(inTarget(target, ['ip', '-force', '-batch', '-']), { input: lines });
      const failed = new Set(
        [...result.stderr.matchAll(/Command failed -:(\d+)/g)].map((m) => Number(m[1]) - 1),
      );
      const docs = new JsonStream().push(result.stdout);
      let next = 0;
      group.forEach((name, i) => {
        if (failed.has(i)) return;
        out.set(name, docs.slice(next, next + commands.length));
        next += commands.length;
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return out;
}

/**
 * Runs one group's `netns exec NS iptables-save -c -f FILE` lines in the lab's root, going on past
 * a line that fails (a namespace gone meanwhile: its file is simply missing). One-shot by default:
 * an `ip -force -batch -` spawned for the group; the agent passes its long-lived reader sessions
 * (NamespaceIo.firewallBatch) instead, so its background reads spawn nothing from Node.
 */
export type FirewallBatch = (group: number, lines: readonly string[]) => Promise<void>;

export const oneShotFirewallBatch =
  (target: Target): FirewallBatch =>
  async (_group, lines) => {
    await run(inTarget(target, ['ip', '-force', '-batch', '-']), { input: lines.join('\n') + '\n' });
  };

/**
 * `iptables-save -c` in each context: the named namespaces through `netns exec` lines in two
 * groups (see FirewallBatch), each writing its own file (`-f`), so outputs never mix; the lab's
 * root ("root") directly. A namespace that is gone is left out.
 */
export async function readFirewalls(
  target: Target,
  contexts: readonly string[],
  batch: FirewallBatch = oneShotFirewallBatch(target),
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const names = contexts.filter((c) => c !== ROOT);
  // The lab's root has no name to `netns exec`: one `iptables-save` of its own, alongside the rest.
  const root = contexts.includes(ROOT) ? readRootFirewall(target) : Promise.resolve(null);
  const [rootText] = await Promise.all([root, readNamedFirewalls(target, names, out, batch)]);
  if (rootText !== null) out.set(ROOT, rootText);
  return out;
}

/** `iptables-save -c` in the lab's root (the sandbox's, or the machine's on the host); null if it fails. */
async function readRootFirewall(target: Target): Promise<string | null> {
  const result = await run(inTarget(target, ['iptables-save', '-c']));
  return result.exitCode === 0 ? result.stdout : null;
}

async function readNamedFirewalls(
  target: Target,
  names: readonly string[],
  out: Map<string, string>,
  batch: FirewallBatch,
) {
  if (names.length === 0) return;
  const dir = path.join(labDir(target.lab), 'firewalls', randomBytes(6).toString('hex'));
  await mkdir(dir, { recursive: true });
  try {
    await Promise.all(
      split(names, GROUPS).map((group, i) =>
        batch(
          i,
          group.map((name) => `netns exec ${name} iptables-save -c -f ${path.join(dir, name)}`),
        ),
      ),
    );
    await Promise.all(
      names.map(async (name) => {
        const text = await readFile(path.join(dir, name), 'utf8').catch(() => null);
        if (text !== null) out.set(name, text);
      }),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
