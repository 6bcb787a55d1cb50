import type { Lab, LiveState } from '@netcanvas/kernel';
import {
  ErrorCode,
  endpointPlacement,
  type CommandRecord,
  type FlapLinkMessage,
  type ServerMessage,
  type Topology,
} from '@netcanvas/model';
import type { AuditLog } from './audit-log';
import { toRecords } from './records';
import { toolRefusal } from './tool-refusal';

export interface FlapDeps {
  lab: Lab;
  live: LiveState;
  audit: AuditLog;
  /** The document as the writer holds it now (which ends exist, and where). */
  document: () => Topology;
  /** Into the command log every client sees. */
  remember: (records: CommandRecord[]) => void;
  log: (line: string) => void;
}

type Reply = (message: ServerMessage) => void;

/**
 * The link flap (issue 12 §3): a veth end down for some seconds, then up. The agent keeps the
 * timer, so the link comes back up when the page that asked has gone; both commands go through
 * the lab's apply, the audit log (pending first) and the command log, as an edit's do. The
 * document is not changed: while the end is down the canvas shows it as drift, truthfully.
 */
export class LinkFlaps {
  private readonly running = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(private readonly deps: FlapDeps) {}

  async flap(message: FlapLinkMessage, by: string, role: string, reply: Reply): Promise<void> {
    const { node, ifname, seconds, requestId } = message;
    const doc = this.deps.document();
    const place = endpointPlacement(doc, node);
    const isEnd = doc.links.some((l) => [l.a, l.b].some((e) => e.node === node && e.ifname === ifname));
    if (!place || !isEnd)
      return reply(
        toolRefusal(
          requestId,
          ErrorCode.invalid,
          `no veth end "${ifname}" on "${node}" in the topology`,
          'ifname',
        ),
      );
    const key = `${place.context}\0${ifname}`;
    if (this.running.has(key))
      return reply(toolRefusal(requestId, ErrorCode.busy, `${node}:${ifname} is flapping already`, null));
    this.running.set(
      key,
      setTimeout(() => undefined, 0),
    );
    const down = await this.run(place.context, ifname, false, `link flap: down for ${seconds} s`, by, role);
    if (!down.ok) {
      this.running.delete(key);
      return reply(toolRefusal(requestId, ErrorCode.internal, `the kernel refused: ${down.stderr}`, null));
    }
    const upAt = new Date(Date.now() + seconds * 1000);
    this.running.set(
      key,
      setTimeout(() => {
        this.running.delete(key);
        void this.run(place.context, ifname, true, 'link flap: up again', by, role).then((up) => {
          if (!up.ok) this.deps.log(`link flap: ${node}:${ifname} did not come up: ${up.stderr}`);
        });
      }, seconds * 1000),
    );
    reply({ type: 'flapStarted', requestId, node, ifname, upAt: upAt.toISOString() });
  }

  /** Flaps under way end with the agent (their links stay as they are; a restart reconciles them). */
  stopAll(): void {
    for (const timer of this.running.values()) clearTimeout(timer);
    this.running.clear();
  }

  private async run(
    context: string,
    ifname: string,
    up: boolean,
    reason: string,
    by: string,
    role: string,
  ): Promise<{ ok: boolean; stderr: string }> {
    const { lab, live, audit } = this.deps;
    const step = lab.linkUpStep(context, ifname, up, reason);
    await audit.pending([step], by, role);
    const report = await lab.apply({ steps: [step], conflicts: [], notes: [] });
    const records = toRecords(report, by);
    await audit.append(records, role);
    this.deps.remember(records);
    live.invalidate([context]);
    live.soon();
    return { ok: report.ok, stderr: report.failed?.stderr.trim() ?? '' };
  }
}
