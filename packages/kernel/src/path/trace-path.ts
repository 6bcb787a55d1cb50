import {
  PathRequest,
  ROOT,
  findNamespace,
  type ObservedFirewall,
  type ObservedState,
  type PathCommand,
  type PathEnd,
  type PathHop,
  type PathRequestInput,
  type PathResult,
  type ProbePacket,
} from '@netcanvas/model';
import { LabInputError } from '../lab-tools';
import { parseIptablesSave } from '../parse-netfilter';
import type { Target } from '../target';
import { UDP_PROBE_TEXT, countersAllArgv, countersRootArgv, probeArgv } from './path-commands';
import { parseCountersAll } from './path-read';
import { PathRunner } from './path-run';
import { walkHop, type Walk } from './path-walk';

/** More namespaces than a packet should cross in a lab: a routing loop, most likely. */
const MAX_HOPS = 16;

/**
 * A packet's path (issue 12 §4): reads every namespace's rule counters, sends one real probe
 * packet (ping, or nc for TCP/UDP) from `from`, reads the counters again, then walks the path hop
 * by hop asking each kernel what it decided (walkHop). Adds nothing to the lab: no rule, no
 * route; the probe and every read are bounded in time. Throws LabInputError (its field named)
 * before running anything when the request is wrong.
 */
export async function tracePath(
  target: Target,
  input: PathRequestInput,
  observed: ObservedState,
): Promise<PathResult> {
  const request = checkedRequest(input, observed);
  const started = performance.now();
  const runner = new PathRunner(target);
  const commands: PathCommand[] = [];
  const before = await readCounters(runner, commands);
  const probeLog: PathCommand[] = [];
  const probe = await runner.run(
    probeLog,
    request.from,
    probeArgv(request),
    request.protocol === 'udp' ? { input: UDP_PROBE_TEXT } : {},
  );
  const answered = probe.exitCode === 0 || /refused/i.test(probe.stderr);
  const after = await readCounters(runner, commands);
  const walk: Walk = { runner, observed, before, after, answered };
  const { hops, end } = await walkPath(walk, request);
  return {
    request: { from: request.from, to: request.to, protocol: request.protocol, port: request.port ?? null },
    probe: probeLog[0] as PathCommand,
    answered,
    hops,
    end,
    commands,
    durationMs: Math.round(performance.now() - started),
  };
}

/** The request as the model checks it; a LabInputError naming the field otherwise (before any read). */
export function checkPathRequest(input: PathRequestInput): PathRequest {
  const parsed = PathRequest.safeParse(input);
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  throw new LabInputError(issue?.path.join('.') || 'request', issue?.message ?? 'not a path request');
}

function checkedRequest(input: PathRequestInput, observed: ObservedState): PathRequest {
  const request = checkPathRequest(input);
  if (!findNamespace(observed, request.from) || request.from === ROOT)
    throw new LabInputError('from', `the lab has no namespace "${request.from}"`);
  return request;
}

/** Every namespace's rules and counters, and the root's: two commands at once, logged in this order. */
async function readCounters(runner: PathRunner, into: PathCommand[]): Promise<Map<string, ObservedFirewall>> {
  const logs: [PathCommand[], PathCommand[]] = [[], []];
  const [all, root] = await Promise.all([
    runner.run(logs[0], ROOT, countersAllArgv()),
    runner.run(logs[1], ROOT, countersRootArgv()),
  ]);
  into.push(...logs[0], ...logs[1]);
  const walls = parseCountersAll(all.stdout);
  if (root.exitCode === 0) walls.set(ROOT, parseIptablesSave(root.stdout));
  return walls;
}

async function walkPath(w: Walk, request: PathRequest): Promise<{ hops: PathHop[]; end: PathEnd }> {
  const hops: PathHop[] = [];
  let at = { namespace: request.from, iif: null as string | null, packet: firstPacket(request) };
  for (let n = 0; n < MAX_HOPS; n++) {
    const hop = newHop(at.namespace, at.iif, at.packet);
    hops.push(hop);
    const outcome = await walkHop(w, hop, at.packet);
    if ('end' in outcome) return { hops, end: outcome.end };
    const { namespace, iif, packet } = outcome.next;
    at = { namespace, iif, packet: { ...packet, inInterface: iif, outInterface: null } };
  }
  return { hops, end: { kind: 'tooManyHops', namespace: at.namespace } };
}

const firstPacket = (request: PathRequest): ProbePacket => ({
  protocol: request.protocol,
  source: '',
  destination: request.to,
  port: request.port ?? null,
  inInterface: null,
  outInterface: null,
});

const newHop = (namespace: string, inInterface: string | null, packet: ProbePacket): PathHop => ({
  namespace,
  inInterface,
  outInterface: null,
  route: null,
  source: packet.source,
  destination: packet.destination,
  hooks: [],
  neighbour: null,
  bridges: [],
  commands: [],
});
