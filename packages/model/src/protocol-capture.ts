import { z } from 'zod';
import { NamespaceName, ROOT, interfaceNameProblem } from './names';

/**
 * Packet capture on the wire (issue 12 §2): an editor starts and stops captures; every client,
 * viewers too, gets each capture's packets as decoded lines, batched. The pcap itself is not sent
 * over the socket: it is downloaded over HTTP (`capturePcapPath`). Joined to protocol.ts's unions.
 */

/** What a capture may hold at most, and its defaults (a capture left running stops by itself). */
export const CAPTURE_LIMITS = {
  packets: { min: 1, max: 100_000, default: 10_000 },
  bytes: { min: 1_024, max: 64 * 1024 * 1024, default: 16 * 1024 * 1024 },
  seconds: { min: 1, max: 3_600, default: 600 },
} as const;
export const CAPTURE_FILTER_MAX_LENGTH = 512;
/** Captures running at once in one agent (each is a tcpdump and its buffer). */
export const MAX_RUNNING_CAPTURES = 4;

/** The characters of tcpdump's filter language (pcap-filter(7)); anything else is refused. */
const FILTER_CHARACTERS = /^[A-Za-z0-9 .:/[\]=!<>&|()+\-*%^_,]*$/;

/**
 * Why a BPF filter is refused before anything runs, or null. It goes to tcpdump as one argv word
 * (no shell ever reads it); refusing `;`, `$`, quotes and the like still says at once that a
 * filter is not a command, where tcpdump's own check (`tcpdump -d`) says why a filter is wrong.
 */
export function captureFilterProblem(filter: string): string | null {
  if (filter.length > CAPTURE_FILTER_MAX_LENGTH)
    return `a filter is at most ${CAPTURE_FILTER_MAX_LENGTH} characters (this one has ${filter.length})`;
  if (FILTER_CHARACTERS.test(filter)) return null;
  const bad = [...filter].find((c) => !FILTER_CHARACTERS.test(c)) ?? '';
  const shown = /^[\x21-\x7e]$/.test(bad) ? `"${bad}"` : `character ${JSON.stringify(bad)}`;
  return `${shown} is not part of tcpdump's filter language (a filter is not a shell command): use words like "icmp", "host 10.0.1.2", "tcp port 80 and not arp"`;
}

/** Why a limit is refused, or null: a whole number in its range. */
export function captureLimitProblem(which: keyof typeof CAPTURE_LIMITS, value: number): string | null {
  const { min, max } = CAPTURE_LIMITS[which];
  if (Number.isInteger(value) && value >= min && value <= max) return null;
  return `${value} is not a whole number from ${min} to ${max}`;
}

// The fields are checked by `captureStartProblem` (answered `rejected` with the field named), not
// by the schema, whose refusal would be a bare `error` not tied to the request.
export const CaptureStartMessage = z
  .object({
    type: z.literal('captureStart'),
    requestId: z.string().min(1).max(64),
    namespace: z.union([NamespaceName, z.literal(ROOT)]),
    ifname: z.string().max(64),
    filter: z.string().max(4096).default(''),
    maxPackets: z.number().default(CAPTURE_LIMITS.packets.default),
    maxBytes: z.number().default(CAPTURE_LIMITS.bytes.default),
    maxSeconds: z.number().default(CAPTURE_LIMITS.seconds.default),
  })
  .strict();
export type CaptureStartMessage = z.infer<typeof CaptureStartMessage>;

export const CaptureStopMessage = z
  .object({
    type: z.literal('captureStop'),
    requestId: z.string().min(1).max(64),
    captureId: z.string().max(64),
  })
  .strict();

/** The first wrong field of a start request, or null. */
export function captureStartProblem(m: CaptureStartMessage): { path: string; message: string } | null {
  const ifname = interfaceNameProblem(m.ifname);
  if (ifname !== null) return { path: 'ifname', message: ifname };
  const filter = captureFilterProblem(m.filter);
  if (filter !== null) return { path: 'filter', message: filter };
  const limits = [
    ['maxPackets', 'packets', m.maxPackets],
    ['maxBytes', 'bytes', m.maxBytes],
    ['maxSeconds', 'seconds', m.maxSeconds],
  ] as const;
  for (const [path, which, value] of limits) {
    const problem = captureLimitProblem(which, value);
    if (problem !== null) return { path, message: problem };
  }
  return null;
}

/** Why a capture ended. */
export const CaptureEnd = z.enum([
  'stopped',
  'packet-limit',
  'byte-limit',
  'time-limit',
  'interface-gone',
  'failed',
]);
export type CaptureEnd = z.infer<typeof CaptureEnd>;

export const CaptureInfo = z.object({
  id: z.string(),
  namespace: z.string(),
  ifname: z.string(),
  filter: z.string(),
  by: z.string(),
  startedAt: z.string(),
  /** The command as a person types it in the lab. */
  argv: z.array(z.string()),
  limits: z.object({ packets: z.number(), bytes: z.number(), seconds: z.number() }),
  packets: z.number(),
  bytes: z.number(),
  /** null while it runs. */
  ended: z.object({ reason: CaptureEnd, message: z.string(), at: z.string() }).nullable(),
});
export type CaptureInfo = z.infer<typeof CaptureInfo>;

/** [number in the capture (from 1), time (s since the epoch), length on the wire, src, dst, protocol, summary] */
export const CapturedLine = z.tuple([
  z.number(),
  z.number(),
  z.number(),
  z.string(),
  z.string(),
  z.string(),
  z.string(),
]);
export type CapturedLine = z.infer<typeof CapturedLine>;

export const CaptureServerMessages = [
  /** Every capture the agent holds (running, or ended and still downloadable): sent after welcome. */
  z.object({ type: z.literal('captures'), captures: z.array(CaptureInfo) }),
  /** To everyone; `requestId` is the starter's request (null for the others). */
  z.object({ type: z.literal('captureStarted'), requestId: z.string().nullable(), capture: CaptureInfo }),
  /**
   * New packets, a few times a second. `lines` are the newest at most a batch's worth;
   * `skipped` packets were captured (they are in the pcap) but not sent as lines, so a flood
   * cannot slow the agent's other messages.
   */
  z.object({
    type: z.literal('capturePackets'),
    captureId: z.string(),
    lines: z.array(CapturedLine),
    skipped: z.number(),
    packets: z.number(),
    bytes: z.number(),
  }),
  z.object({ type: z.literal('captureEnded'), capture: CaptureInfo }),
] as const;

/** Where a capture's pcap is downloaded (GET, with the session cookie of an editor or viewer). */
export const CAPTURE_PCAP_PREFIX = '/api/captures/';
export const capturePcapPath = (captureId: string): string =>
  `${CAPTURE_PCAP_PREFIX}${encodeURIComponent(captureId)}.pcap`;
