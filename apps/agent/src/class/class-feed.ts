import type { StudentStatus } from '@netcanvas/model';
import type { ClientSession } from '../server';

/** How often, at most, watchers get the students that changed: 4 a second is live to the eye. */
export const CLASS_FEED_MS = 250;

/**
 * The trainer's watchers of the class and what they were last sent: students whose status
 * changed are sent together, at most every CLASS_FEED_MS, and only when what a watcher would see
 * differs (a lab that reads the same sends nothing however often it is read).
 */
export class ClassFeed {
  private readonly watchers = new Set<ClientSession>();
  private readonly dirty = new Set<string>();
  private readonly sent = new Map<string, string>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly statusOf: (id: string) => StudentStatus | null) {}

  /** A watcher from now on (its full status was just sent by the caller), until its session closes. */
  add(session: ClientSession, now: readonly StudentStatus[]): void {
    // What the others have not been sent yet goes to them first: `sent` is then what all have.
    this.flush();
    for (const s of now) this.sent.set(s.id, JSON.stringify(s));
    this.watchers.add(session);
    session.onClose(() => this.watchers.delete(session));
  }

  /** A student's lab changed: its status goes out with the next batch. */
  changed(id: string): void {
    this.dirty.add(id);
    this.timer ??= setTimeout(() => this.flush(), CLASS_FEED_MS);
  }

  /** Sends what changed now (also on a timer). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const students: StudentStatus[] = [];
    for (const id of this.dirty) {
      const status = this.statusOf(id);
      const text = JSON.stringify(status);
      if (status === null || this.sent.get(id) === text) continue;
      this.sent.set(id, text);
      students.push(status);
    }
    this.dirty.clear();
    if (students.length === 0) return;
    for (const session of this.watchers) session.send({ type: 'classStudents', students });
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.watchers.clear();
  }
}
