import type { LessonProgress, LessonView, ServerMessage } from '@netcanvas/model';
import { create } from 'zustand';
import { send } from '../protocol/socket';
import { newRequestId } from '../store/requests';

/**
 * The lab's lesson as the agent last said it (issue 13 §2): its words (`lesson`) and where the
 * class is (`progress`: the open step, its goals' states, the steps done). Nothing here decides a
 * goal: the agent's runner judges them against the kernel, and this page only shows what it says.
 */
interface LessonState {
  lesson: LessonView | null;
  progress: LessonProgress | null;
  /** The last refusal of this page's load or goto, said in the panel. */
  refusal: string | null;
}

export const useLesson = create<LessonState>(() => ({ lesson: null, progress: null, refusal: null }));

/** Requests of this page (load, goto) waiting for the agent's answer. */
const pending = new Set<string>();

type LessonMessage = Extract<ServerMessage, { type: 'lesson' | 'lessonProgress' | 'lessonAccepted' }>;

export function applyLessonMessage(m: LessonMessage): void {
  switch (m.type) {
    case 'lesson':
      useLesson.setState({ lesson: m.lesson, progress: m.progress });
      return;
    case 'lessonProgress':
      // A progress for another lesson than the one shown is stale (a load crossed it).
      if (useLesson.getState().lesson?.id === m.progress.lessonId)
        useLesson.setState({ progress: m.progress });
      return;
    case 'lessonAccepted':
      if (pending.delete(m.requestId)) useLesson.setState({ refusal: null });
      return;
  }
}

/** A refusal of this page's lesson request, said in the panel; true when it was one. */
export function lessonRejected(m: Extract<ServerMessage, { type: 'rejected' }>): boolean {
  if (!pending.delete(m.requestId)) return false;
  useLesson.setState({ refusal: m.message });
  return true;
}

function request(
  message: { type: 'lessonLoad'; lesson: string } | { type: 'lessonGoto'; step: string },
): void {
  const requestId = newRequestId();
  if (!send({ ...message, requestId })) {
    useLesson.setState({ refusal: 'Not connected to the agent; nothing was sent.' });
    return;
  }
  pending.add(requestId);
}

export const lessonActions = {
  /** Editors: loads a built-in lesson (its first step opens, its start replacing the lab). */
  load(lesson: string): void {
    request({ type: 'lessonLoad', lesson });
  },
  /** Editors: opens a step (any one: back, or ahead). */
  goto(step: string): void {
    request({ type: 'lessonGoto', step });
  },
};
