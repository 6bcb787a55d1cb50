import type { ClassInfo, ClientMessage, ServerMessage, StudentReset, StudentStatus } from '@netcanvas/model';
import { create } from 'zustand';
import { send } from '../protocol/socket';
import { newRequestId } from '../store/requests';

type ClassMessage = Extract<
  ServerMessage,
  { type: 'classStatus' | 'classStudents' | 'classLinkIssued' | 'classResetDone' }
>;
type Rejected = Extract<ServerMessage, { type: 'rejected' }>;
/** Where a reset goes: the class's start, or a checkpoint each lab saved under that name. */
export type ResetTo = Extract<ClientMessage, { type: 'classReset' }>['to'];

/** What a student's last reset said, and where it went ("the start", `checkpoint "step-2"`). */
export type StudentResetSaid = StudentReset & { to: string };

/** The class as the trainer's agent tells it (class pages only): every student's status, by id. */
export interface ClassState {
  info: ClassInfo | null;
  /** In the class's order (s01, s02, …). */
  students: StudentStatus[];
  /** Why the page cannot show the class (not the trainer's editor, no class running). */
  problem: string | null;
  /** Updates received since the page opened (the overview says it live; tests count them). */
  updates: number;
  /** Students being reset now, and what the last reset of each said. */
  resetting: string[];
  resets: Record<string, StudentResetSaid>;
}

export const useClass = create<ClassState>(() => ({
  info: null,
  students: [],
  problem: null,
  updates: 0,
  resetting: [],
  resets: {},
}));

/** Requests of this page, and what each waits for. */
const watching = new Set<string>();
const linkWaiters = new Map<string, (url: string | null, why?: string) => void>();
/** Reset requests of this page: the students each asked for, and where to. */
const resetting = new Map<string, { asked: string[]; to: string }>();

function resetEnded(requestId: string, results: StudentReset[]): void {
  const { asked, to } = resetting.get(requestId) ?? { asked: [], to: '' };
  resetting.delete(requestId);
  useClass.setState((s) => ({
    resetting: s.resetting.filter((id) => !asked.includes(id)),
    resets: { ...s.resets, ...Object.fromEntries(results.map((r) => [r.student, { ...r, to }])) },
  }));
}

export const classActions = {
  /** Asks for the class (after each welcome: a reconnect asks again). */
  watch(): void {
    const requestId = newRequestId();
    watching.add(requestId);
    send({ type: 'classWatch', requestId });
  },

  /** Resets students' labs (or all) to the class's start or a checkpoint: each converges its own kernel. */
  reset(students: string[] | 'all', to: ResetTo = { start: true }): void {
    const requestId = newRequestId();
    const ids = students === 'all' ? useClass.getState().students.map((s) => s.id) : students;
    if (!send({ type: 'classReset', requestId, students, to })) return;
    resetting.set(requestId, {
      asked: ids,
      to: 'checkpoint' in to ? `checkpoint "${to.checkpoint}"` : 'the start',
    });
    useClass.setState((s) => ({ resetting: [...new Set([...s.resetting, ...ids])] }));
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
  } else if (m.type === 'classResetDone') {
    resetEnded(m.requestId, m.results);
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
  if (resetting.has(m.requestId)) {
    const asked = resetting.get(m.requestId)?.asked ?? [];
    resetEnded(
      m.requestId,
      asked.map((student) => ({ student, ok: false, message: m.message })),
    );
    return true;
  }
  const waiter = linkWaiters.get(m.requestId);
  if (!waiter) return false;
  linkWaiters.delete(m.requestId);
  waiter(null, m.message);
  return true;
}
