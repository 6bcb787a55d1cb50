import { ROOT, type PathRequest } from '@netcanvas/model';

/**
 * The packet path's commands, as a person types them in the lab (each runs in one namespace
 * through `inLabNamespace`). Pure: unit-tested word for word (test/path-commands.test.ts).
 */

/** Seconds a probe waits for its answer: a lab answers in microseconds; a drop waits it out. */
export const PROBE_WAIT_SECONDS = 1;

/** `ip -j route get TO [from SRC iif IF]`: the route the kernel picks, as sent (no iif) or as forwarded. */
export function routeGetArgv(to: string, arriving: { from: string; iif: string } | null): string[] {
  const argv = ['ip', '-j', 'route', 'get', to];
  return arriving ? [...argv, 'from', arriving.from, 'iif', arriving.iif] : argv;
}

/** `ip -j neigh show to ADDRESS dev DEV`: the ARP entry for the next hop. */
export const neighShowArgv = (address: string, dev: string): string[] => [
  'ip',
  '-j',
  'neigh',
  'show',
  'to',
  address,
  'dev',
  dev,
];

/** `bridge -j fdb show br BRIDGE`: which port each MAC was learned on. */
export const fdbShowArgv = (bridge: string): string[] => ['bridge', '-j', 'fdb', 'show', 'br', bridge];

/** Every lab namespace's rules with their counters, in one command (each section after a `netns: NAME` line). */
export const countersAllArgv = (): string[] => ['ip', '-all', 'netns', 'exec', 'iptables-save', '-c'];

/** The lab's root's own rules with their counters. */
export const countersRootArgv = (): string[] => ['iptables-save', '-c'];

/** The text a UDP probe sends. */
export const UDP_PROBE_TEXT = 'netcanvas packet path probe\n';

/**
 * The probe packet: one echo request (`ping -n -c 1 -W 1 TO`), one TCP connection attempt
 * (`nc -z -n -v -w 1 TO PORT`: a SYN; an answer is an accept or a reset), or one UDP datagram
 * (`nc -u -n -w 1 TO PORT`, its text on stdin).
 */
export function probeArgv(request: PathRequest): string[] {
  const wait = String(PROBE_WAIT_SECONDS);
  if (request.protocol === 'icmp') return ['ping', '-n', '-c', '1', '-W', wait, request.to];
  const port = String(request.port);
  if (request.protocol === 'tcp') return ['nc', '-z', '-n', '-v', '-w', wait, request.to, port];
  return ['nc', '-u', '-n', '-w', wait, request.to, port];
}

/** One echo request to an address from a namespace, to make its kernel resolve the neighbour. */
export const resolveArgv = (address: string): string[] => ['ping', '-n', '-c', '1', '-W', '1', address];

/** How a command appears in the log: `ip netns exec NS ...`, or plainly in the lab's root. */
export const shownIn = (context: string, argv: readonly string[]): string[] =>
  context === ROOT ? [...argv] : ['ip', 'netns', 'exec', context, ...argv];
