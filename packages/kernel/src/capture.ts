import {
  PCAP_RECORD_HEADER_BYTES,
  PcapStreamReader,
  captureFilterProblem,
  captureLimitProblem,
  interfaceNameProblem,
  type PcapHeader,
  type PcapRecord,
} from '@netcanvas/model';
import { LabInputError, inLabNamespace } from './lab-tools';
import { diesWithParent, run } from './process';
import { startByteStream } from './process-bytes';
import type { Target } from './target';

/**
 * Packet capture in a lab: `tcpdump -w -` on one interface of one namespace, its pcap stream read
 * record by record (model's PcapStreamReader) and handed up. Bounded in packets, bytes and time;
 * stoppable; ends by itself when the interface goes (tcpdump exits).
 */

export interface CaptureOptions {
  /** A BPF filter (pcap-filter(7)); '' for every packet. */
  filter: string;
  maxPackets: number;
  /** Bytes of pcap (record headers and captured bytes) at most. */
  maxBytes: number;
  maxSeconds: number;
}

/** Why a capture ended: asked to, a limit, or tcpdump ended by itself (`exited`: the interface went, or an error). */
export type CaptureStopReason = 'stopped' | 'packet-limit' | 'byte-limit' | 'time-limit' | 'exited';

export interface CaptureRun {
  /** The command as a person types it in the lab. */
  shown: string[];
  done: Promise<{ reason: CaptureStopReason; exitCode: number; stderr: string }>;
  /** Resolves once tcpdump listens (it says so on stderr), or has ended: packets from then on are seen. */
  ready: Promise<void>;
  /** The stream's header once tcpdump wrote it (its link type), else null. */
  header(): PcapHeader | null;
  stop(): void;
}

/** The checks that need no process: names, the filter's characters and length, the limits. */
export function checkCaptureInput(ifname: string, options: CaptureOptions): void {
  const ifProblem = interfaceNameProblem(ifname);
  if (ifProblem !== null) throw new LabInputError('ifname', ifProblem);
  const filterProblem = captureFilterProblem(options.filter);
  if (filterProblem !== null) throw new LabInputError('filter', filterProblem);
  const limits = [
    ['maxPackets', 'packets', options.maxPackets],
    ['maxBytes', 'bytes', options.maxBytes],
    ['maxSeconds', 'seconds', options.maxSeconds],
  ] as const;
  for (const [field, which, value] of limits) {
    const problem = captureLimitProblem(which, value);
    if (problem !== null) throw new LabInputError(field, problem);
  }
}

/** The filter as one argv word after `--`: tcpdump joins its expression words with spaces anyway. */
const filterWords = (filter: string): string[] => (filter.trim() === '' ? [] : ['--', filter.trim()]);

export function captureArgv(ifname: string, options: CaptureOptions): string[] {
  return [
    'tcpdump',
    '-i',
    ifname,
    // Each packet written as it comes (-U), delivered as it comes (no 1 s buffer), no name lookups.
    '-U',
    '--immediate-mode',
    // A kernel buffer large enough for a burst while the agent is busy (the default 2 MiB drops at a few thousand packets/s).
    '-B',
    '8192',
    '-n',
    '-c',
    String(options.maxPackets),
    '-w',
    '-',
    ...filterWords(options.filter),
  ];
}

/**
 * tcpdump's own check, before the capture: `tcpdump -d` compiles the filter for the interface and
 * exits; a wrong filter (or an interface the namespace lacks) comes back in tcpdump's words.
 */
export async function compileCaptureFilter(
  target: Target,
  namespace: string,
  ifname: string,
  options: CaptureOptions,
): Promise<void> {
  checkCaptureInput(ifname, options);
  const argv = ['tcpdump', '-d', '-i', ifname, ...filterWords(options.filter)];
  const result = await run(inLabNamespace(target, namespace, argv).argv, { timeoutMs: 10_000 });
  if (result.exitCode === 0) return;
  const said =
    result.stderr
      .trim()
      .split('\n')
      .at(-1)
      ?.replace(/^tcpdump: /, '') ?? '';
  const field = /no such device|doesn't exist|not found/i.test(said) ? 'ifname' : 'filter';
  throw new LabInputError(field, said || `tcpdump -d exited with ${result.exitCode}`);
}

/** Starts the capture (check it first: `compileCaptureFilter`); each record within the limits to `onPacket`. */
export function startCapture(
  target: Target,
  namespace: string,
  ifname: string,
  options: CaptureOptions,
  onPacket: (record: PcapRecord) => void,
): CaptureRun {
  checkCaptureInput(ifname, options);
  const command = inLabNamespace(target, namespace, captureArgv(ifname, options));
  const reader = new PcapStreamReader();
  let reason: CaptureStopReason | null = null;
  let packets = 0;
  let bytes = 0;
  const end = (why: CaptureStopReason) => {
    if (reason !== null) return;
    reason = why;
    stream.stop('SIGINT');
    clearTimeout(timer);
  };
  const take = (record: PcapRecord) => {
    if (reason !== null) return;
    if (bytes + PCAP_RECORD_HEADER_BYTES + record.data.length > options.maxBytes) return end('byte-limit');
    packets++;
    bytes += PCAP_RECORD_HEADER_BYTES + record.data.length;
    onPacket(record);
    if (packets >= options.maxPackets) end('packet-limit');
  };
  let listening: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (listening = resolve));
  // The agent may die mid-capture: tcpdump must not run on, unread.
  const stream = startByteStream(
    diesWithParent(command.argv),
    (chunk) => {
      try {
        for (const record of reader.push(chunk)) take(record);
      } catch {
        end('exited');
      }
    },
    (stderr) => {
      if (stderr.includes('listening on')) listening();
    },
  );
  const timer = setTimeout(() => end('time-limit'), options.maxSeconds * 1000);
  const done = stream.done.then((result) => {
    clearTimeout(timer);
    listening();
    return { reason: reason ?? 'exited', ...result };
  });
  return { shown: command.shown, done, ready, header: () => reader.header, stop: () => end('stopped') };
}
