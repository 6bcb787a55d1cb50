import { z } from 'zod';
import type { NeighbourEntry, ObservedFdbEntry, ObservedFirewall } from '@netcanvas/model';
import { parseIptablesSave } from '../parse-netfilter';
import { parseFdb, splitJsonLines } from '../parse';

/** Reading the packet path's command outputs (pure: test/path-read.test.ts). */

const RawRoute = z.looseObject({
  type: z.string().optional(),
  dst: z.string(),
  gateway: z.string().optional(),
  dev: z.string().optional(),
  prefsrc: z.string().optional(),
});

/** What `ip -j route get` chose: local delivery, a route out by a device, or a kind of refusal. */
export type RouteChoice =
  | { kind: 'local'; text: string }
  | { kind: 'out'; dev: string; gateway: string | null; prefsrc: string | null; text: string }
  | { kind: 'refused'; message: string };

export function parseRouteGet(stdout: string, stderr: string, exitCode: number): RouteChoice {
  if (exitCode !== 0) return { kind: 'refused', message: stderr.replace(/^RTNETLINK answers: /, '').trim() };
  const [json] = splitJsonLines(stdout);
  const [route] = z.array(RawRoute).parse(json ?? []);
  if (!route) return { kind: 'refused', message: 'ip route get printed no route' };
  const type = route.type ?? 'unicast';
  if (type === 'local') return { kind: 'local', text: 'local' };
  if (type !== 'unicast' || route.dev === undefined) return { kind: 'refused', message: `a ${type} route` };
  const text = [
    ...(route.gateway ? ['via', route.gateway] : []),
    'dev',
    route.dev,
    ...(route.prefsrc ? ['src', route.prefsrc] : []),
  ].join(' ');
  return {
    kind: 'out',
    dev: route.dev,
    gateway: route.gateway ?? null,
    prefsrc: route.prefsrc ?? null,
    text,
  };
}

const RawNeigh = z.looseObject({
  dst: z.string(),
  lladdr: z.string().optional(),
  state: z.array(z.string()).optional(),
});

/** `ip -j neigh show to A dev D`: the entry, or state "none" when there is none. */
export function parseNeigh(stdout: string, address: string, dev: string): NeighbourEntry {
  const [json] = splitJsonLines(stdout);
  const [entry] = z.array(RawNeigh).parse(json ?? []);
  if (!entry) return { address, dev, state: 'none', mac: null };
  return {
    address,
    dev,
    state: (entry.state ?? ['NOARP']).join(','),
    mac: entry.lladdr?.toLowerCase() ?? null,
  };
}

/** Whether a neighbour entry means someone answered ARP. */
export const neighbourAnswered = (n: NeighbourEntry): boolean =>
  !['none', 'INCOMPLETE', 'FAILED'].some((s) => n.state.split(',').includes(s));

/** `bridge -j fdb show br B`'s entries. */
export function parseFdbShow(stdout: string): ObservedFdbEntry[] {
  const [json] = splitJsonLines(stdout);
  return json === undefined ? [] : parseFdb(json);
}

/**
 * `ip -all netns exec iptables-save -c`: each namespace's firewall, by name. Each section starts
 * with an empty line and `netns: NAME` (a namespace with no tables prints nothing after it).
 */
export function parseCountersAll(stdout: string): Map<string, ObservedFirewall> {
  const walls = new Map<string, ObservedFirewall>();
  const sections = stdout.split(/^netns: (\S+)$/m);
  for (let i = 1; i < sections.length; i += 2)
    walls.set(sections[i] as string, parseIptablesSave(sections[i + 1] ?? ''));
  return walls;
}
