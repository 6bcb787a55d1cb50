import type { ClassInfo, ServerMessage, StudentStatus } from '@netcanvas/model';
import { create } from 'zustand';
import { send } from '../protocol/socket';
import { newRequestId } from '../store/requests';

type ClassMessage = Extract<ServerMessage, { type: 'classStatus' | 'classStudents' | 'classLinkIssued' }>;
type Rejected = Extract<ServerMessage, { type: 'rejected' }>;

/** The class as the trainer's agent tells it (class pages only): every student's status, by id. */
export interface ClassState {
  info: ClassInfo | null;
  /** In the class's order (s01, s02, …). */
  students: StudentStatus[];
  /** Why the page cannot show the class (not the trainer's editor, no class running). */
  problem: string | null;
  /** Updates received since the page opened (the overview says it live; tests count them). */
  updates: number;
}

export const useClass = create<ClassState>(() => ({ info: null, students: [], problem: null, updates: 0 }));

/** Requests of this page, and what each waits for. */
const watching = new Set<string>();
const linkWaiters = new Map<string, (url: string | null, why?: string) => void>();

export const classActions = {
  /** Asks for the class (after each welcome: a reconnect asks again). */
  watch(): void {
    const requestId = newRequestId();
    watching.add(requestId);
    send({ type: 'classWatch', requestId });
  },

  /** A fresh one-time editor link for a student (resolves null, with why, if refused). */
  newLink(student: string): Promise<{ url: string | null; why?: string }> {
    const requestId = newRequestId();
    return new Promise((resolve) => {
      linkWaiters.set(requestId, (url, why) => resolve({ url, why }));
      if (!send({ type: 'classLink', requestId, student })) {
        linkWaiters.delete(requestId);
        resolve({ url: null, why: 'not connected to the agent' });
      }
    });
  },
};

export function applyClassMessage(m: ClassMessage): void {
  if (m.type === 'classStatus') {
    watching.delete(m.requestId);
    useClass.setState({ info: m.class, students: m.students, problem: null });
  } else if (m.type === 'classStudents') {
    useClass.setState((s) => ({
      students: s.students.map((old) => m.students.find((n) => n.id === old.id) ?? old),
      updates: s.updates + 1,
    }));
  } else {
    linkWaiters.get(m.requestId)?.(m.editorUrl);
    linkWaiters.delete(m.requestId);
    useClass.setState((s) => ({
      students: s.students.map((old) => (old.id === m.student ? { ...old, editorUrl: m.editorUrl } : old)),
    }));
  }
}

/** True when the refusal answers one of this page's class requests. */
export function classRejected(m: Rejected): boolean {
  if (watching.delete(m.requestId)) {
    useClass.setState({ problem: m.message });
    return true;
  }
  const waiter = linkWaiters.get(m.requestId);
  if (!waiter) return false;
  linkWaiters.delete(m.requestId);
  waiter(null, m.message);
  return true;
}
