import {
  CLASS_LAB_LIMITS,
  ErrorCode,
  classSizeProblem,
  type ClassInfo,
  type ClientMessage,
  type Lesson,
  type StudentStatus,
  type Topology,
} from '@netcanvas/model';
import type { ClientSession } from '../server';
import { ClassFeed } from './class-feed';
import type { ClassHub } from './class-hub';
import { settleBounded } from './parallel';
import { Student, type StudentServing } from './student';

/** Students' labs made (or destroyed) at once: each is a sandbox, a monitor and a port. */
export const CLASS_PARALLEL = 4;

export interface ClassOptions extends StudentServing {
  /** The class's name: its students' labs are `<name>-s01`… (the trainer's lab's name). */
  name: string;
  size: number;
  /** The trainer's port; students get the next ones (0: any free port each). */
  port: number;
  /** Every student's lab starts as this. */
  start: Topology;
  /** Every student's lesson (`serve --lesson`): its runner checks each lab's goals (null: none). */
  lesson: Lesson | null;
}

/** `s01`, `s02`, … */
export const studentId = (index: number): string => `s${String(index + 1).padStart(2, '0')}`;
/** A student's lab: the class's name and the student's id. */
export const studentLab = (name: string, id: string): string => `${name}-${id}`;

/**
 * A class (issue 13 §4): a lab per student, each its own agent on its own port (so its cookie,
 * its links and its terminals are its lab's only), made in parallel, destroyed with the class.
 * The trainer's agent holds it as its `ClassHub`: its editors watch every student's status and
 * take a student's links. docs/classroom.md.
 */
export class Classroom implements ClassHub {
  readonly students: Student[];
  private readonly feed: ClassFeed;
  private destroying: Promise<void> | undefined;

  constructor(private readonly options: ClassOptions) {
    const problem = classSizeProblem(options.size);
    if (problem !== null) throw new Error(problem);
    this.feed = new ClassFeed((id) => this.find(id)?.status() ?? null);
    this.students = Array.from({ length: options.size }, (_, i) => {
      const id = studentId(i);
      const port = options.port === 0 ? 0 : options.port + 1 + i;
      return new Student(id, studentLab(options.name, id), port, () => this.feed.changed(id));
    });
    // One listener per agent (its unhandled-rejection watch): a class has many on purpose.
    process.setMaxListeners(Math.max(process.getMaxListeners(), 2 * options.size + 20));
  }

  get info(): ClassInfo {
    const { name, size, lesson } = this.options;
    return { name, size, lesson: lesson?.title ?? null, limits: { ...CLASS_LAB_LIMITS } };
  }

  /** Makes every student's lab; if one cannot be made, destroys them all and throws why. */
  async make(): Promise<void> {
    const results = await settleBounded(this.students, CLASS_PARALLEL, async (student) => {
      try {
        await student.start(this.options.start, this.options, this.options.lesson);
      } catch (error) {
        student.state = 'failed';
        student.problem = error instanceof Error ? error.message : String(error);
        throw error;
      } finally {
        this.feed.changed(student.id);
      }
    });
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [this.students[i]!] : []));
    if (failed.length === 0) return;
    await this.destroy();
    throw new Error(
      `the class could not be made (${failed.length} of ${this.students.length} labs failed); every lab was destroyed: ` +
        failed.map((s) => `${s.id}: ${s.problem}`).join('; '),
    );
  }

  status(): StudentStatus[] {
    return this.students.map((s) => s.status());
  }

  /** Stops every student's agent and destroys its lab and saved state. Idempotent. */
  destroy(): Promise<void> {
    this.destroying ??= (async () => {
      this.feed.stop();
      const results = await settleBounded(this.students, CLASS_PARALLEL, (s) => s.destroy());
      const failed = results.filter((r) => r.status === 'rejected');
      if (failed.length > 0)
        throw new Error(
          `${failed.length} labs of the class could not be destroyed: ${String(failed[0]!.reason)}`,
        );
    })();
    return this.destroying;
  }

  watch(message: Extract<ClientMessage, { type: 'classWatch' }>, session: ClientSession): void {
    const students = this.status();
    session.send({ type: 'classStatus', requestId: message.requestId, class: this.info, students });
    this.feed.add(session, students);
  }

  link(message: Extract<ClientMessage, { type: 'classLink' }>, session: ClientSession): void {
    const student = this.find(message.student);
    const editorUrl = student?.newEditorUrl() ?? null;
    if (student === undefined || editorUrl === null) {
      session.send({
        type: 'rejected',
        requestId: message.requestId,
        code: ErrorCode.invalid,
        message: student
          ? `student: ${message.student}'s lab is not running (${student.state})`
          : `student: the class has no student "${message.student}" (s01 to ${studentId(this.students.length - 1)})`,
        path: 'student',
        currentVersion: -1,
      });
      return;
    }
    session.send({ type: 'classLinkIssued', requestId: message.requestId, student: student.id, editorUrl });
    this.feed.changed(student.id);
  }

  /**
   * Resets the students asked (or all), 4 labs at a time, each through its own agent; answers
   * once every one has converged or said why not. An unknown student is refused, nothing reset.
   */
  async reset(
    message: Extract<ClientMessage, { type: 'classReset' }>,
    session: ClientSession,
  ): Promise<void> {
    const ids = message.students === 'all' ? this.students.map((s) => s.id) : message.students;
    const unknown = ids.findIndex((id) => this.find(id) === undefined);
    if (unknown >= 0) {
      session.send({
        type: 'rejected',
        requestId: message.requestId,
        code: ErrorCode.invalid,
        message: `students[${unknown}]: the class has no student "${ids[unknown]}" (s01 to ${studentId(this.students.length - 1)})`,
        path: `students[${unknown}]`,
        currentVersion: -1,
      });
      return;
    }
    const asked = [...new Set(ids)].map((id) => this.find(id) as Student);
    this.options.log(
      `reset of ${asked.map((s) => s.id).join(', ')} to ${'checkpoint' in message.to ? `checkpoint "${message.to.checkpoint}"` : 'the start'}`,
    );
    const settled = await settleBounded(asked, CLASS_PARALLEL, (student) => student.reset(message.to));
    const results = settled.map((r, i) =>
      r.status === 'fulfilled'
        ? r.value
        : {
            student: asked[i]!.id,
            ok: false,
            message: r.reason instanceof Error ? r.reason.message : String(r.reason),
          },
    );
    session.send({ type: 'classResetDone', requestId: message.requestId, results });
  }

  private find(id: string): Student | undefined {
    return this.students.find((s) => s.id === id);
  }
}
