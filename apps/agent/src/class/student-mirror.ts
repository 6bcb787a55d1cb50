import {
  applyObservedPatch,
  type LessonProgress,
  type LessonView,
  type ObservedState,
  type ServerMessage,
  type Topology,
} from '@netcanvas/model';
import type { ClientSession } from '../server';

/** The client id the class's own watcher shows as in a student's logs. */
export const CLASS_WATCHER_ID = 'c-class000';

/**
 * What a student's agent says, kept as a viewer's page keeps it: the class joins each student's
 * agent as one more client, in the same process (no socket, no JSON), so the trainer's overview
 * sees exactly what a viewer of that lab sees, by the same welcome and the same patches.
 */
export class StudentMirror {
  document: Topology | null = null;
  version = -1;
  observed: ObservedState | null = null;
  /** The lab's lesson and its progress, as its runner says them (null: none). */
  lesson: LessonView | null = null;
  progress: LessonProgress | null = null;
  /** The names of the lab's checkpoints, as its agent last listed them (a reset may go back to one). */
  checkpoints: string[] = [];
  private closeHandlers: (() => void)[] = [];
  private closed = false;

  /** `changed`: called after each message that changed the document or the observed state. */
  constructor(private readonly changed: () => void) {}

  /** The in-process client the student's agent admits (`RunningAgent.attach`). */
  session(): ClientSession {
    // Typed apart from ClientSession's `backlog`, which the presenter's work adds (and this has).
    const session: Omit<ClientSession, 'backlog'> & { backlog(): number } = {
      clientId: CLASS_WATCHER_ID,
      role: 'viewer',
      send: (message) => this.receive(message),
      close: () => this.detach(),
      // A viewer sends nothing: the agent's handler is never called.
      onMessage: () => undefined,
      onClose: (handler) => {
        if (this.closed) queueMicrotask(handler);
        else this.closeHandlers.push(handler);
      },
      // Nothing waits to be written: messages are handed over in this process.
      backlog: () => 0,
    };
    return session;
  }

  /** Leaves the student's agent (it forgets this client, as when a page closes). */
  detach(): void {
    if (this.closed) return;
    this.closed = true;
    for (const handler of this.closeHandlers.splice(0)) handler();
  }

  private receive(message: ServerMessage): void {
    if (this.closed) return;
    if (message.type === 'welcome') {
      this.document = message.document;
      this.version = message.version;
      this.observed = message.observed;
    } else if (message.type === 'document') {
      this.document = message.document;
      this.version = message.version;
    } else if (message.type === 'observed' && this.observed !== null) {
      try {
        this.observed = applyObservedPatch(this.observed, message.patches, message.takenAt);
      } catch {
        // In one process the patches follow the welcome exactly; if they ever do not, the
        // miniature draws from the document alone until the next welcome rather than guess.
        this.observed = null;
      }
    } else if (message.type === 'lesson') {
      this.lesson = message.lesson;
      this.progress = message.progress;
    } else if (message.type === 'lessonProgress') {
      this.progress = message.progress;
    } else if (message.type === 'checkpoints') {
      this.checkpoints = message.checkpoints.map((c) => c.name);
    } else return;
    this.changed();
  }
}
