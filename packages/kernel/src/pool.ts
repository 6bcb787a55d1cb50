import { ROOT } from '@netcanvas/model';
import { IpSession } from './session';
import { benchToggles } from './bench-toggles';
import { inNamespace, type Target } from './target';

/** A namespace's long-lived session: JSON, details and counters, lines from stdin. */
const SESSION_ARGV = ['ip', '-j', '-d', '-s', '-batch', '-'];

/**
 * One IpSession per network namespace of a lab, started on first use. A session inside a
 * namespace keeps that namespace alive even after `ip netns del`, so sessions are closed before
 * the lab deletes a namespace, and dropped for namespaces that disappeared. A session that ended
 * on its own (killed, or a failing line: sessions run without -force) is replaced on the next `get`.
 */
export class SessionPool {
  private readonly sessions = new Map<string, IpSession>();
  /** The ifindexes each context's current session has seen in its dumps (what its ll_map holds). */
  private readonly seen = new Map<string, { session: IpSession; links: Map<number, string> }>();
  /** Sessions closing once their queued work is done. */
  private readonly retiring = new Set<Promise<void>>();
  /** The lab's root's firewall readers (see firewallReader), by group. */
  private readonly readers: IpSession[] = [];
  /** The lab's root's session for applies (see `forApply`). */
  private applying: IpSession | null = null;

  constructor(private readonly target: Target) {}

  /** A live session for this context exists (a new namespace has none until it is first used). */
  has(context: string): boolean {
    return this.sessions.get(context)?.alive === true;
  }

  get(context: string): IpSession {
    let session = this.sessions.get(context);
    if (!session?.alive) {
      session = new IpSession(inNamespace(this.target, context, SESSION_ARGV));
      this.sessions.set(context, session);
    }
    return session;
  }

  /**
   * The session an apply's lines run in. For the lab's root, not the one its reads use: a read
   * under way there (the sweep's dump of 1,000 ports, the sample's `addr show`: ~200–300 ms at
   * 1,000 namespaces) was ahead of an edit's lines in one pipe (docs/benchmarks.md, "Edits,
   * session 13"). It lives as the reads' session does: renewed with it (`retire`, `retireAll`),
   * and when it holds a namespace that went (`retain`). Not a new one per apply: a spawn from the
   * agent's process (hundreds of MB at 1,000 namespaces) cost ~20 ms of the edit, measured.
   * Other contexts: their one session (their reads are small).
   */
  forApply(context: string): IpSession {
    if (context !== ROOT || benchToggles.rootApplySession === 'shared') return this.get(context);
    if (!this.applying?.alive) this.applying = new IpSession(inNamespace(this.target, ROOT, SESSION_ARGV));
    return this.applying;
  }

  /**
   * A long-lived `ip -force -batch -` in the lab's root whose lines are `netns exec NS
   * iptables-save -c -f FILE` (fanout.ts): the agent's background reads of every namespace's
   * firewall, without a spawn from Node each. Spawned per read, they were the agent's main cost at
   * rest: at 200 namespaces its sweep spawned once per namespace every ten seconds, ~90 % of a core
   * (docs/benchmarks.md, "The agent at rest"). -force: a namespace gone meanwhile fails its line
   * only. `netns exec` forks, so this session holds no namespace open, and it dumps no links, so it
   * caches no ifindex: it never needs renewing for either.
   */
  firewallReader(group: number): IpSession {
    let reader = this.readers[group];
    if (!reader?.alive) {
      reader = new IpSession(inNamespace(this.target, ROOT, ['ip', '-j', '-force', '-batch', '-']));
      this.readers[group] = reader;
    }
    return reader;
  }

  /**
   * Tells the pool the ifindexes a read just found in `context`. `ip -batch` caches name → ifindex
   * from every dump (ll_map) and never drops an index that went away; once a link of that name is
   * made again (a namespace deleted by hand took its veth, the lab re-creates it), `dev NAME` in
   * that session goes to the dead index: ENODEV. So a session that has seen a link that is gone
   * now is retired (a spawn, ~3 ms, only when links disappeared).
   */
  noteLinks(context: string, links: Iterable<{ ifindex: number; ifname: string }>): boolean {
    const session = this.sessions.get(context);
    if (!session) return false; // nothing long-lived caches this context (oneshot namespaces)
    const now = new Map([...links].map((l) => [l.ifindex, l.ifname]));
    const before = this.seen.get(context);
    this.seen.set(context, { session, links: now });
    if (before?.session !== session) return false;
    // Gone, or renamed: the cache also names a port's master from the index (a bridge renamed by
    // hand would still be called by its old name).
    const stale = [...before.links].some(([ifindex, ifname]) => now.get(ifindex) !== ifname);
    if (stale) this.retire(context);
    return stale;
  }

  /**
   * Drops a context's session once the work queued on it is done; the next `get` opens a new one.
   * The root's apply session too: a line that failed there ended it, and the index cache is
   * suspect.
   */
  retire(context: string): void {
    if (context === ROOT && this.applying) {
      this.retireSession(this.applying);
      this.applying = null;
    }
    const session = this.sessions.get(context);
    if (!session) return;
    this.sessions.delete(context);
    this.seen.delete(context);
    this.retireSession(session);
  }

  private retireSession(session: IpSession): void {
    const closing = session.retire().finally(() => this.retiring.delete(closing));
    this.retiring.add(closing);
  }

  async close(contexts: Iterable<string>): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const context of contexts) {
      const session = this.sessions.get(context);
      this.seen.delete(context);
      if (!session) continue;
      this.sessions.delete(context);
      closing.push(session.close());
    }
    await Promise.all(closing);
  }

  /**
   * Closes the sessions of namespaces that are no longer there, and retires the sessions that hold
   * an fd to one of them (the root's, which made them): else the namespace never really goes.
   */
  async retain(contexts: Iterable<string>): Promise<void> {
    const keep = new Set(contexts);
    await this.close([...this.sessions.keys()].filter((c) => !keep.has(c)));
    for (const [context, session] of [...this.sessions])
      if ([...session.namespacesHeld].some((name) => !keep.has(name))) this.retire(context);
    if (this.applying && [...this.applying.namespacesHeld].some((name) => !keep.has(name))) {
      this.retireSession(this.applying);
      this.applying = null;
    }
  }

  /** Retires every session (after an apply deleted links whose peers any session may have cached). */
  retireAll(): void {
    for (const context of [...this.sessions.keys()]) this.retire(context);
    this.retire(ROOT); // its apply session, if reads never opened its own
  }

  async closeAll(): Promise<void> {
    const readers = this.readers.splice(0).map((r) => r.close());
    const rootApply = this.applying?.close() ?? Promise.resolve();
    this.applying = null;
    await Promise.all([this.close([...this.sessions.keys()]), ...this.retiring, ...readers, rootApply]);
  }

  /** The pids of the lab's own sessions (so a cleanup that kills processes can tell). */
  pids(): number[] {
    return [...this.sessions.values(), ...this.readers, this.applying].flatMap((s) =>
      s?.pid === undefined ? [] : [s.pid],
    );
  }
}
