import { ROOT, namespaceNameProblem } from '@netcanvas/model';
import { batchWord } from './apply';
import { parseNetnsList, splitJsonLines } from './parse';
import { run, runInteractive, type RunResult } from './process';
import { IpSession } from './session';
import { inNamespace, inTarget, type Target } from './target';

/**
 * The lab's tools for people and their programs: commands run in one of the lab's namespaces
 * (captured, or attached to the terminal), a shell, the list of namespaces, and a hand at the
 * `ip` prompt. Lab's methods (lab.ts) are the front; the argv is built here, never by a caller.
 */

/** Input the kernel refuses before running anything; `field` names what was wrong. */
export class LabInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** A namespace name as the lab's tools take it: one of the lab's, or "root" for the lab's root. */
export function checkNamespace(namespace: string): string {
  if (namespace === ROOT) return namespace;
  const problem = namespaceNameProblem(namespace);
  if (problem !== null) throw new LabInputError('namespace', problem);
  return namespace;
}

/** A command in one namespace: `shown` is what a person types in the lab, `argv` what runs. */
export interface NamespaceCommand {
  shown: string[];
  argv: string[];
}

/** `ip netns exec NS ARGV…` (plain ARGV in the lab's root), run inside the lab's target. */
export function inLabNamespace(target: Target, namespace: string, argv: readonly string[]): NamespaceCommand {
  if (argv.length === 0) throw new LabInputError('command', 'give a command to run');
  const ns = checkNamespace(namespace);
  const shown = ns === ROOT ? [...argv] : ['ip', 'netns', 'exec', ns, ...argv];
  return { shown, argv: inTarget(target, shown) };
}

/** The lab's namespaces by name (`ip -j netns list` in the lab's root), as the kernel lists them. */
export async function listNamespaces(target: Target): Promise<string[]> {
  const listed = await run(inTarget(target, ['ip', '-j', 'netns', 'list']), { timeoutMs: 10_000 });
  if (listed.exitCode !== 0) throw new Error(`ip netns list failed: ${listed.stderr.trim()}`);
  const [json] = splitJsonLines(listed.stdout);
  return json === undefined ? [] : parseNetnsList(json).map((entry) => entry.name);
}

/** Runs a command in a namespace to its end, its output captured. */
export async function runIn(
  target: Target,
  namespace: string,
  argv: readonly string[],
  options: { timeoutMs?: number } = {},
): Promise<RunResult> {
  return run(inLabNamespace(target, namespace, argv).argv, options);
}

/** Runs a command in a namespace with the terminal attached; resolves to its exit code. */
export async function attachIn(
  target: Target,
  namespace: string,
  argv: readonly string[],
  env?: Record<string, string>,
): Promise<number> {
  return runInteractive(inLabNamespace(target, namespace, argv).argv, env ? { env } : {});
}

/**
 * `bash --norc` in a namespace: --norc because a person's bashrc could set a prompt that hides
 * which lab this is. The prompt says the lab and namespace; NETCANVAS_LAB and NETCANVAS_NAMESPACE
 * say them to scripts.
 */
export function shellIn(target: Target, namespace: string): Promise<number> {
  return attachIn(target, namespace, ['bash', '--norc'], {
    PS1: `[netcanvas ${target.lab}:${namespace}] \\w# `,
    NETCANVAS_LAB: target.lab,
    NETCANVAS_NAMESPACE: namespace,
  });
}

/**
 * A person at the `ip` prompt of one namespace, as one long-lived `ip -batch` (benches and tests
 * make changes "by hand" with it, each answered in well under a millisecond, so what they time
 * is the lab's reaction, not a spawn). Nothing it does gets the lab's mark.
 */
export interface HandSession {
  /** One `ip` command, its words after `ip` (`['link', 'set', 'dev', 'p0', 'down']`). */
  ip(args: readonly string[]): Promise<{ ok: true } | { ok: false; error: string }>;
  close(): Promise<void>;
}

export function openHandSession(target: Target, namespace: string): HandSession {
  const argv = inNamespace(target, checkNamespace(namespace), ['ip', '-j', '-batch', '-']);
  // A failed line ends an `ip -batch` (it runs without -force): the next command gets a new one.
  let session = new IpSession(argv);
  return {
    async ip(args) {
      if (args.length === 0) throw new LabInputError('args', 'give the ip command after "ip"');
      const line = batchLineOf(args);
      if (!session.alive) session = new IpSession(argv);
      const done = await session.run([line]);
      return done.ok ? { ok: true } : { ok: false, error: done.stderr.trim() };
    },
    close: () => session.close(),
  };
}

function batchLineOf(args: readonly string[]): string {
  try {
    return args.map(batchWord).join(' ');
  } catch (error) {
    throw new LabInputError('args', (error as Error).message);
  }
}
