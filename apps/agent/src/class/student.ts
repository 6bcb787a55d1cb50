import { rm } from 'node:fs/promises';
import { Lab } from '@netcanvas/kernel';
import {
  CLASS_LAB_LIMITS,
  classGoals,
  classMiniature,
  shellQuote,
  type Lesson,
  type StudentReset,
  type StudentStatus,
  type Topology,
} from '@netcanvas/model';
import { startAgent, type RunningAgent } from '../core/agent';
import { DocumentStore } from '../core/document-store';
import { labStateDir } from '../core/state-dir';
import { StudentMirror } from './student-mirror';

/** How each student's agent is served: as the trainer's, on its own port. */
export interface StudentServing {
  listen: string;
  allowedHosts?: string[];
  webRoot?: string;
  terminals: boolean;
  log: (line: string) => void;
}

/**
 * One student: a sandbox lab (`<class>-s01`) with its own agent, port, links and session key,
 * started from the class's topology, and the class's mirror of it. The lab and its saved state
 * are the class's: they go when the class goes.
 */
export class Student {
  state: StudentStatus['state'] = 'starting';
  problem: string | null = null;
  editorUrl: string | null = null;
  private agent: RunningAgent | null = null;
  /** The document the student's lab started from (the class's topology, or the lesson's start). */
  private startDocument: Topology | null = null;
  readonly mirror: StudentMirror;

  constructor(
    readonly id: string,
    readonly lab: string,
    private readonly port: number,
    changed: () => void,
  ) {
    this.mirror = new StudentMirror(changed);
  }

  get running(): RunningAgent | null {
    return this.agent;
  }

  /**
   * Saves the start document (a fresh lab only), starts the agent with the class's limits (and its
   * lesson, whose runner checks this lab's goals), joins it.
   */
  async start(start: Topology, serving: StudentServing, lesson: Lesson | null): Promise<void> {
    this.startDocument = start;
    const store = new DocumentStore(this.lab);
    // A lab left by a class that crashed keeps its student's work: only a fresh one is seeded.
    if ((await store.load()).status === 'missing') await store.save({ version: 0, document: start });
    this.agent = await startAgent({
      selector: { lab: this.lab },
      port: this.port,
      listen: serving.listen,
      allowedHosts: serving.allowedHosts,
      webRoot: serving.webRoot,
      terminals: serving.terminals,
      limits: CLASS_LAB_LIMITS,
      ...(lesson ? { lesson } : {}),
      log: (line) => serving.log(`[${this.id}] ${line}`),
    });
    this.editorUrl = this.agent.server.editorUrl;
    this.agent.attach(this.mirror.session());
    this.state = 'ready';
  }

  /** A fresh one-time editor link (the last one is kept for the links page). */
  newEditorUrl(): string | null {
    if (this.agent === null) return null;
    this.editorUrl = this.agent.server.newEditorUrl();
    return this.editorUrl;
  }

  status(): StudentStatus {
    const document = this.mirror.document;
    return {
      id: this.id,
      lab: this.lab,
      origin: this.agent?.server.origin ?? '',
      state: this.state,
      problem: this.problem,
      editorUrl: this.editorUrl,
      viewerUrl: this.agent?.server.viewerUrl ?? null,
      clients: Math.max(0, (this.agent?.clientCount() ?? 1) - 1),
      version: this.mirror.version,
      miniature: document ? classMiniature(document, this.mirror.observed) : { nodes: [], edges: [] },
      goals: classGoals(this.mirror.lesson, this.mirror.progress),
      checkpoints: this.mirror.checkpoints,
    };
  }

  /**
   * Resets the student's lab (the trainer's reset): to its start, the lesson back at its first
   * step, or to a checkpoint it saved. Its own agent's writer converges its kernel, as an edit by
   * "trainer" in its command log; nothing else is touched.
   */
  async reset(to: { start: true } | { checkpoint: string }): Promise<StudentReset> {
    const agent = this.agent;
    if (agent === null || this.startDocument === null)
      return { student: this.id, ok: false, message: `the lab is not running (${this.state})` };
    const reply =
      'checkpoint' in to
        ? await agent.reset({ checkpoint: to.checkpoint }, 'trainer')
        : // The lab is the class's own sandbox: what the student made by hand goes too.
          await agent.reset({ document: this.startDocument }, 'trainer', {
            restartLesson: true,
            removeHandMade: true,
          });
    if (reply.type === 'rejected') return { student: this.id, ok: false, message: reply.message };
    const { ok, commands } = reply.outcome;
    const failed = commands.find((c) => c.exitCode !== 0);
    if (ok) return { student: this.id, ok: true, message: `reset (${commands.length} commands)` };
    const why = failed
      ? `the kernel refused ${shellQuote(failed.argv)}: ${failed.stderr}`
      : 'the reset failed';
    return { student: this.id, ok: false, message: why };
  }

  /** Stops the agent, then removes the sandbox (whatever it holds) and the lab's saved state. */
  async destroy(): Promise<void> {
    this.mirror.detach();
    const agent = this.agent;
    this.agent = null;
    this.state = 'stopped';
    if (agent) await agent.stop();
    const lab = await Lab.open({ lab: this.lab }, { create: false }).catch(() => null);
    if (lab) await lab.destroy({ force: true });
    await rm(labStateDir(this.lab), { recursive: true, force: true });
  }
}
