import { IpSession } from './session';
import { inNamespace, type Target } from './target';

/**
 * One IpSession per network namespace of a lab, started on first use. A session inside a
 * namespace keeps that namespace alive even after `ip netns del`, so sessions are closed before
 * the lab deletes a namespace, and dropped for namespaces that disappeared.
 */
export class SessionPool {
  private readonly sessions = new Map<string, IpSession>();

  constructor(private readonly target: Target) {}

  get(context: string): IpSession {
    let session = this.sessions.get(context);
    if (!session?.alive) {
      session = new IpSession(inNamespace(this.target, context, ['ip', '-j', '-d', '-s', '-batch', '-']));
      this.sessions.set(context, session);
    }
    return session;
  }

  async close(contexts: Iterable<string>): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const context of contexts) {
      const session = this.sessions.get(context);
      if (!session) continue;
      this.sessions.delete(context);
      closing.push(session.close());
    }
    await Promise.all(closing);
  }

  /** Closes the sessions of namespaces that are no longer there. */
  async retain(contexts: Iterable<string>): Promise<void> {
    const keep = new Set(contexts);
    await this.close([...this.sessions.keys()].filter((c) => !keep.has(c)));
  }

  async closeAll(): Promise<void> {
    await this.close([...this.sessions.keys()]);
  }

  /** The pids of the lab's own sessions (so a cleanup that kills processes can tell). */
  pids(): number[] {
    return [...this.sessions.values()].flatMap((s) => (s.pid === undefined ? [] : [s.pid]));
  }
}
