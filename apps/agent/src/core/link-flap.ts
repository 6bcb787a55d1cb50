import type { Lab, LiveState } from '@netcanvas/kernel';
import {
  ErrorCode,
  endpointPlacement,
  givenAddresses,
  type CommandRecord,
  type FlapLinkMessage,
  type ServerMessage,
  type Step,
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
    // The kernel drops an interface's IPv6 addresses when it goes down (keep_addr_on_down is 0):
    // those it has now are given back once it is up again, as it was.
    const ipv6 = await this.ipv6Addresses(place.context, ifname);
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
        void this.upAgain(place.context, ifname, ipv6, by, role).then((why) => {
          if (why !== null) this.deps.log(`link flap: ${node}:${ifname} did not come back: ${why}`);
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

  /** The end's IPv6 addresses as the kernel has them now (its own link-local one aside). */
  private async ipv6Addresses(context: string, ifname: string): Promise<string[]> {
    const observed = await this.deps.live.fresh();
    const seen = observed.namespaces
      .find((ns) => ns.name === context)
      ?.interfaces.find((i) => i.ifname === ifname);
    return seen ? givenAddresses(seen).filter((cidr) => cidr.includes(':')) : [];
  }

  /** Up again, then the IPv6 addresses it had and the kernel dropped; null, or what failed. */
  private async upAgain(
    context: string,
    ifname: string,
    ipv6: readonly string[],
    by: string,
    role: string,
  ): Promise<string | null> {
    const up = await this.run(context, ifname, true, 'link flap: up again', by, role);
    if (!up.ok) return up.stderr;
    const now = new Set(await this.ipv6Addresses(context, ifname));
    const steps = ipv6
      .filter((cidr) => !now.has(cidr))
      .map((cidr) =>
        this.deps.lab.addressAddStep(
          context,
          ifname,
          cidr,
          'link flap: the kernel dropped it when the link went down',
        ),
      );
    if (steps.length === 0) return null;
    const given = await this.apply(steps, context, by, role);
    return given.ok ? null : given.stderr;
  }

  private async run(
    context: string,
    ifname: string,
    up: boolean,
    reason: string,
    by: string,
    role: string,
  ): Promise<{ ok: boolean; stderr: string }> {
    return this.apply([this.deps.lab.linkUpStep(context, ifname, up, reason)], context, by, role);
  }

  /** Steps through the lab's apply, the audit log (pending first) and the command log. */
  private async apply(
    steps: Step[],
    context: string,
    by: string,
    role: string,
  ): Promise<{ ok: boolean; stderr: string }> {
    const { lab, live, audit } = this.deps;
    await audit.pending(steps, by, role);
    const report = await lab.apply({ steps, conflicts: [], notes: [] });
    const records = toRecords(report, by);
    await audit.append(records, role);
    this.deps.remember(records);
    live.invalidate([context]);
    live.soon();
    return { ok: report.ok, stderr: report.failed?.stderr.trim() ?? '' };
  }
}
