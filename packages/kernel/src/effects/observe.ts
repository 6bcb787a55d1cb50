import { readFile, readdir } from 'node:fs/promises';
import { ROOT, type HelperEffects, type ObservedLinkEffects, type ObservedQdisc } from '@netcanvas/model';
import type { ParsedInterface } from '../parse';
import { qdiscOf, splitJsonLines } from '../parse';
import { mapLimit, run } from '../process';
import { namespaceOf, netnsFileId } from '../procfs';
import { inNamespace, netnsDirOf, type Target } from '../target';
import { helperFileInode, parseHelperState, parseQdiscs, type HelperFile } from './parse';

/**
 * Reads the link effects in force on the interfaces of the namespaces just dumped, and sets each
 * interface's `effects` (null: none). Cheap where there are none, as it runs in the live path:
 * - a qdisc: `ip addr show` already names each interface's qdisc; `tc -j qdisc show root` runs
 *   only in a namespace where one is not the default (noqueue);
 * - the helper: one readdir of /run/netcanvas-fx (its state files, named by namespace inode), and
 *   for a namespace with files, a stat of its /run/netns entry and the helpers' /proc entries.
 */
export async function readLinkEffects(
  target: Target,
  namespaces: readonly { name: string; interfaces: ParsedInterface[] }[],
): Promise<void> {
  const files = await helperFileNames(target);
  // The common case, a lab without effects: nothing to read, no promise per namespace.
  if (files.size === 0 && !namespaces.some((ns) => ns.interfaces.some(hasOwnQdisc))) {
    for (const ns of namespaces) for (const iface of ns.interfaces) iface.effects = null;
    return;
  }
  await mapLimit(namespaces, 4, async (ns) => {
    const [helpers, qdiscs] = await Promise.all([
      files.size > 0 ? helpersIn(target, ns.name, files) : [],
      ns.interfaces.some(hasOwnQdisc) ? qdiscsIn(target, ns.name) : new Map<string, ObservedQdisc>(),
    ]);
    for (const iface of ns.interfaces) iface.effects = effectsOf(iface.ifname, helpers, qdiscs);
  });
}

/**
 * `noqueue` is a veth's or bridge's own; `noop` is what a link that is down without a qdisc shows
 * (lo in a new namespace, say): neither is ours or a person's, so `tc` is not asked (a spawn per
 * read of every namespace with lo down: docs/benchmarks.md, "Reading what changed").
 */
const hasOwnQdisc = (i: ParsedInterface) => {
  const kind = qdiscOf.get(i);
  return kind !== undefined && kind !== 'noqueue' && kind !== 'noop';
};

function effectsOf(
  ifname: string,
  helpers: readonly HelperFile[],
  qdiscs: ReadonlyMap<string, ObservedQdisc>,
): ObservedLinkEffects | null {
  const on = (dir: 'out' | 'in'): HelperEffects | null =>
    helpers.find((h) => h.dev === ifname && h.dir === dir)?.effects ?? null;
  const effects = { out: on('out'), in: on('in'), qdisc: qdiscs.get(ifname) ?? null };
  return effects.out || effects.in || effects.qdisc ? effects : null;
}

/** Where netcanvas-fx writes its state files, as this process sees that folder. */
export const fxDirOf = (target: Target): string =>
  target.kind === 'sandbox' ? `/proc/${target.sandbox.pid}/root/run/netcanvas-fx` : '/run/netcanvas-fx';

/** The state files' names by namespace inode. */
export async function helperFileNames(target: Target): Promise<Map<string, string[]>> {
  const byInode = new Map<string, string[]>();
  let names: string[];
  try {
    names = await readdir(fxDirOf(target));
  } catch {
    return byInode;
  }
  for (const name of names) {
    const inode = helperFileInode(name);
    if (inode !== null) byInode.set(inode, [...(byInode.get(inode) ?? []), name]);
  }
  return byInode;
}

/** The inode of a lab namespace's network namespace ("root": the sandbox's, or this process's on the host). */
export async function inodeOf(target: Target, name: string): Promise<string | null> {
  const id =
    name === ROOT
      ? await namespaceOf(target.kind === 'sandbox' ? target.sandbox.pid : 'self', 'net')
      : await netnsFileId(`${netnsDirOf(target)}/${name}`);
  return id === null ? null : (/\[(\d+)\]/.exec(id)?.[1] ?? null);
}

/** The helpers running in one namespace: state files whose process is still a netcanvas-fx. */
async function helpersIn(target: Target, name: string, files: Map<string, string[]>): Promise<HelperFile[]> {
  const inode = await inodeOf(target, name);
  const mine = inode === null ? [] : (files.get(inode) ?? []);
  const found: HelperFile[] = [];
  for (const file of mine) {
    const state = parseHelperState(await readText(`${fxDirOf(target)}/${file}`));
    if (state && (await isRunningHelper(state.pid))) found.push(state);
  }
  return found;
}

/**
 * Whether a pid is a live netcanvas-fx: not another program that got its pid, nor a killed helper
 * left a zombie (its name still reads netcanvas-fx where the host's pid 1 does not reap it).
 */
export async function isRunningHelper(pid: number): Promise<boolean> {
  const stat = await readText(`/proc/${pid}/stat`);
  const close = stat.lastIndexOf(')');
  return stat.slice(stat.indexOf('(') + 1, close) === 'netcanvas-fx' && stat[close + 2] !== 'Z';
}

export const readText = (path: string): Promise<string> => readFile(path, 'utf8').catch(() => '');

async function qdiscsIn(target: Target, name: string): Promise<Map<string, ObservedQdisc>> {
  const result = await run(inNamespace(target, name, ['tc', '-j', 'qdisc', 'show', 'root']));
  if (result.exitCode !== 0) return new Map();
  const [json] = splitJsonLines(result.stdout);
  return json === undefined ? new Map() : parseQdiscs(json);
}
