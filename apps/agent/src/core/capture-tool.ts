import {
  LabInputError,
  type CaptureRun,
  type CaptureStopReason,
  type Lab,
  type LiveState,
} from '@netcanvas/kernel';
import {
  ErrorCode,
  LINKTYPE_ETHERNET,
  MAX_RUNNING_CAPTURES,
  ROOT,
  captureSizeProblem,
  captureStartProblem,
  runningLimitProblem,
  type CaptureEnd,
  type LabLimits,
  type ObservedState,
  type CaptureStartMessage,
  type CommandRecord,
  type Role,
  type ServerMessage,
} from '@netcanvas/model';
import { CAPTURE_BATCH_MS, CaptureBuffer } from './capture-buffer';
import { hasNamespaceNow, lookAgain } from './look-again';

/** Ended captures kept for download (the oldest goes first). */
const ENDED_KEPT = 4;
/** How often running captures are checked against the lab's state (a namespace deleted by hand). */
const GONE_CHECK_MS = 500;

interface Running {
  buffer: CaptureBuffer;
  run: CaptureRun | null;
  role: Role;
  /** Why the agent stopped it: its place went from the lab's state (said instead of "stopped"). */
  gone: string | null;
}

export interface CaptureToolContext {
  lab: Lab;
  live: LiveState;
  broadcast: (message: ServerMessage) => void;
  /** A class's limits on captures in this lab (how many at once, how big each). */
  limits?: Pick<LabLimits, 'captures' | 'capturePackets' | 'captureBytes'>;
  /** The tcpdump command, once it ended, into the audit and command logs (as a ping's). */
  record: (record: CommandRecord, role: Role) => Promise<void>;
}

type Reply = (message: ServerMessage) => void;

/**
 * The agent's packet captures: started and stopped by editors, watched by everyone. Each packet
 * goes into its capture's buffer (pcap, for download); lines go to every client in batches
 * (capture-buffer.ts). A capture ends at a limit, when asked, or when its interface goes, and says
 * which; several run at once (at most MAX_RUNNING_CAPTURES).
 */
export class CaptureTool {
  private readonly captures = new Map<string, Running>();
  private timer: NodeJS.Timeout | undefined;
  private goneTimer: NodeJS.Timeout | undefined;
  private checking = false;
  private nextId = 1;

  constructor(private readonly ctx: CaptureToolContext) {}

  /** Every capture held (running, or ended and downloadable), for a client that just came. */
  list() {
    // Not those still starting: one tcpdump refuses is never announced.
    return [...this.captures.values()].filter((c) => c.run !== null).map((c) => c.buffer.now());
  }

  pcap(id: string): Buffer | null {
    const capture = this.captures.get(id);
    if (!capture) return null;
    return capture.buffer.pcap(capture.run?.header()?.linktype ?? LINKTYPE_ETHERNET);
  }

  async start(message: CaptureStartMessage, by: string, role: Role, reply: Reply): Promise<void> {
    const refuse = (path: string | null, text: string, code: ErrorCode = ErrorCode.invalid) =>
      reply({
        type: 'rejected',
        requestId: message.requestId,
        code,
        message: text,
        path,
        currentVersion: -1,
      });
    const problem = captureStartProblem(message);
    if (problem) return refuse(problem.path, `${problem.path}: ${problem.message}`);
    const limits = this.ctx.limits;
    const over = limits ? captureSizeProblem(message, limits) : null;
    // The field is the refusal's path: not said again in its words (a client shows both).
    if (over) return refuse(over.path, over.message);
    if (!(await hasNamespaceNow(this.ctx.live, message.namespace)))
      return refuse('namespace', `namespace: the lab has no namespace "${message.namespace}"`);
    const most = Math.min(MAX_RUNNING_CAPTURES, limits?.captures ?? MAX_RUNNING_CAPTURES);
    // Counted and reserved (newCapture) with no await between: captures started together cannot
    // all pass the count.
    if (this.runningCount() >= most) {
      const full = runningLimitProblem('captures', most);
      return refuse(full.path, full.message, ErrorCode.busy);
    }
    const capture = this.newCapture(message, by, role);
    try {
      capture.run = await this.ctx.lab.capture(
        message.namespace,
        message.ifname,
        {
          filter: message.filter,
          maxPackets: message.maxPackets,
          maxBytes: message.maxBytes,
          maxSeconds: message.maxSeconds,
        },
        (record) => capture.buffer.add(record),
      );
    } catch (error) {
      this.captures.delete(capture.buffer.info.id);
      if (error instanceof LabInputError) return refuse(error.field, error.message);
      throw error;
    }
    capture.buffer.info.argv = capture.run.shown;
    this.ctx.broadcast({
      type: 'captureStarted',
      requestId: message.requestId,
      capture: capture.buffer.now(),
    });
    this.timer ??= setInterval(() => this.flush(), CAPTURE_BATCH_MS);
    this.goneTimer ??= setInterval(() => void this.checkGone(), GONE_CHECK_MS);
    this.goneTimer.unref();
    void this.whenDone(capture, capture.run);
  }

  /** Asks a running capture to stop; its `captureEnded` is the answer. */
  stop(requestId: string, captureId: string, reply: Reply): void {
    const capture = this.captures.get(captureId);
    if (capture?.run && capture.buffer.info.ended === null) return capture.run.stop();
    reply({
      type: 'rejected',
      requestId,
      code: ErrorCode.invalid,
      message: capture
        ? `captureId: capture ${captureId} has already ended`
        : `captureId: no capture ${captureId}`,
      path: 'captureId',
      currentVersion: -1,
    });
  }

  /** Stops every capture (the agent is stopping) and waits for them. */
  async stopAll(): Promise<void> {
    const running = [...this.captures.values()].filter((c) => c.buffer.info.ended === null && c.run);
    for (const capture of running) capture.run?.stop();
    await Promise.all(running.map((c) => c.run?.done));
    clearInterval(this.timer);
    this.timer = undefined;
    clearInterval(this.goneTimer);
    this.goneTimer = undefined;
  }

  /**
   * Stops the captures whose namespace or interface went from the lab's state (looked at again to
   * be sure). tcpdump ends by itself when its interface is deleted, but not when its namespace is
   * deleted by hand (`ip netns del`): the namespace lives on while tcpdump is in it, and tcpdump
   * would keep it (and its veths) for good.
   */
  private async checkGone(): Promise<void> {
    const running = [...this.captures.values()].filter((c) => c.run && c.buffer.info.ended === null);
    if (running.length === 0) {
      clearInterval(this.goneTimer);
      this.goneTimer = undefined;
      return;
    }
    if (this.checking) return;
    this.checking = true;
    try {
      for (const capture of running) {
        const { namespace, ifname } = capture.buffer.info;
        if (!interfaceGone(namespace, ifname)(this.ctx.live.observed)) continue;
        if ((await lookAgain(this.ctx.live, interfaceGone(namespace, ifname))) !== 'gone') continue;
        if (capture.buffer.info.ended !== null) continue;
        const nsGone = !this.ctx.live.observed.namespaces.some((n) => n.name === namespace);
        capture.gone = nsGone ? `namespace ${namespace} was deleted` : `${ifname} was deleted`;
        capture.run?.stop();
      }
    } finally {
      this.checking = false;
    }
  }

  private runningCount(): number {
    return [...this.captures.values()].filter((c) => c.buffer.info.ended === null).length;
  }

  private newCapture(message: CaptureStartMessage, by: string, role: Role): Running {
    const id = `cap-${this.nextId++}`;
    const buffer = new CaptureBuffer({
      id,
      namespace: message.namespace,
      ifname: message.ifname,
      filter: message.filter,
      by,
      startedAt: new Date().toISOString(),
      argv: [],
      limits: { packets: message.maxPackets, bytes: message.maxBytes, seconds: message.maxSeconds },
      packets: 0,
      bytes: 0,
      ended: null,
    });
    const capture: Running = { buffer, run: null, role, gone: null };
    this.captures.set(id, capture);
    return capture;
  }

  private flush(): void {
    for (const { buffer, run } of this.captures.values()) {
      const batch = buffer.takeBatch(run?.header()?.linktype ?? LINKTYPE_ETHERNET);
      if (batch === null) continue;
      this.ctx.broadcast({
        type: 'capturePackets',
        captureId: buffer.info.id,
        ...batch,
        packets: buffer.packets,
        bytes: buffer.bytes,
      });
    }
    if (this.runningCount() === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private async whenDone(capture: Running, run: CaptureRun): Promise<void> {
    const started = performance.now();
    const result = await run.done;
    const end = capture.gone
      ? {
          reason: 'interface-gone' as const,
          message: `stopped: ${where(capture.buffer)} is gone (${capture.gone})`,
        }
      : await this.endOf(capture.buffer, result);
    const { reason } = end;
    const message = `${end.message}${droppedNote(result.stderr)}`;
    this.flush();
    const info = capture.buffer.info;
    info.ended = { reason, message, at: new Date().toISOString() };
    this.ctx.broadcast({ type: 'captureEnded', capture: capture.buffer.now() });
    this.forgetOldEnded();
    await this.ctx.record(
      {
        at: new Date().toISOString(),
        by: info.by,
        context: info.namespace,
        argv: run.shown,
        reason: `packet capture ${info.id}: ${message}`,
        exitCode: result.exitCode,
        stderr: reason === 'failed' ? result.stderr.trim().slice(-500) : '',
        durationMs: Math.round(performance.now() - started),
      },
      capture.role,
    );
  }

  /** Why it ended, in words: tcpdump ending by itself is its interface gone, or a failure in its words. */
  private async endOf(
    buffer: CaptureBuffer,
    result: { reason: CaptureStopReason; stderr: string },
  ): Promise<{ reason: CaptureEnd; message: string }> {
    const { namespace, ifname, limits } = buffer.info;
    switch (result.reason) {
      case 'stopped':
        return { reason: 'stopped', message: `stopped by hand after ${buffer.packets} packets` };
      case 'packet-limit':
        return { reason: 'packet-limit', message: `stopped at its limit of ${limits.packets} packets` };
      case 'byte-limit':
        return { reason: 'byte-limit', message: `stopped at its limit of ${limits.bytes} bytes` };
      case 'time-limit':
        return { reason: 'time-limit', message: `stopped at its limit of ${limits.seconds} s` };
      case 'exited':
        if ((await lookAgain(this.ctx.live, interfaceGone(namespace, ifname))) === 'gone')
          return { reason: 'interface-gone', message: `stopped: ${where(buffer)} is gone` };
        return { reason: 'failed', message: `tcpdump ended: ${lastLine(result.stderr)}` };
    }
  }

  private forgetOldEnded(): void {
    const ended = [...this.captures.values()].filter((c) => c.buffer.info.ended !== null);
    for (const old of ended.slice(0, Math.max(0, ended.length - ENDED_KEPT)))
      this.captures.delete(old.buffer.info.id);
  }
}

/** Where a capture runs, in words: `ns1:veth1`. */
const where = ({ info }: CaptureBuffer): string =>
  `${info.namespace === ROOT ? "the lab's root" : info.namespace}:${info.ifname}`;

/** The interface, or its namespace, is not in the kernel's state. */
const interfaceGone =
  (namespace: string, ifname: string) =>
  (observed: ObservedState): boolean =>
    !observed.namespaces.find((n) => n.name === namespace)?.interfaces.some((i) => i.ifname === ifname);

const lastLine = (text: string): string =>
  text
    .trim()
    .split('\n')
    .filter((l) => !/^(tcpdump: )?listening on|packets? (captured|received|dropped)/.test(l))
    .at(-1)
    ?.replace(/^tcpdump: /, '') ?? 'no reason given';

/** tcpdump's own count of packets the kernel dropped because it could not keep up (a flood). */
function droppedNote(stderr: string): string {
  const dropped = Number(/(\d+) packets? dropped by kernel/.exec(stderr)?.[1] ?? 0);
  return dropped > 0 ? ` (${dropped} more were dropped by the kernel: tcpdump could not keep up)` : '';
}
