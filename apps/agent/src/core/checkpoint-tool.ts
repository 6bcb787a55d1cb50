import type { LiveState } from '@netcanvas/kernel';
import { ErrorCode, type ClientMessage, type ServerMessage, type Topology } from '@netcanvas/model';
import type { ClientSession } from '../server';
import { CheckpointRefusal, Checkpoints } from './checkpoints';
import { resetLab } from './checkpoint-reset';
import type { Writer } from './writer';

type Message<T extends ClientMessage['type']> = Extract<ClientMessage, { type: T }>;

export interface CheckpointToolParts {
  lab: string;
  writer: Writer;
  live: LiveState;
  broadcast: (message: ServerMessage) => void;
  log: (line: string) => void;
}

/**
 * The checkpoint messages of a session (protocol-checkpoint.ts): save the document as it is now,
 * list, reset through `resetLab`, and delete. Every client is sent the new list after a save or a
 * delete.
 */
export class CheckpointTool {
  readonly store: Checkpoints;

  constructor(private readonly parts: CheckpointToolParts) {
    this.store = new Checkpoints(parts.lab);
  }

  /** The checkpoint's document (what `resetLab` resets to). */
  document(name: string): Promise<Topology> {
    return this.store.document(name);
  }

  async listMessage(requestId?: string): Promise<Extract<ServerMessage, { type: 'checkpoints' }>> {
    const checkpoints = await this.store.list();
    return { type: 'checkpoints', ...(requestId ? { requestId } : {}), checkpoints };
  }

  async save(message: Message<'checkpointSave'>, session: ClientSession): Promise<void> {
    const { writer, live } = this.parts;
    // The note of what the kernel holds is taken as of now, with what the writer marked read.
    const observed = await live.fresh();
    try {
      const { info, replaced } = await this.store.save({
        name: message.name,
        document: writer.document,
        version: writer.version,
        by: session.clientId,
        observed,
      });
      this.parts.log(`checkpoint "${info.name}" saved (version ${info.version}) by ${session.clientId}`);
      session.send({ type: 'checkpointSaved', requestId: message.requestId, checkpoint: info, replaced });
      this.parts.broadcast(await this.listMessage());
    } catch (error) {
      if (!(error instanceof CheckpointRefusal)) throw error;
      session.send(this.refusal(message.requestId, error));
    }
  }

  async list(message: Message<'checkpointList'>, session: ClientSession): Promise<void> {
    session.send(await this.listMessage(message.requestId));
  }

  async reset(message: Message<'checkpointReset'>, session: ClientSession): Promise<void> {
    const reply = await resetLab(
      { writer: this.parts.writer, checkpoints: this },
      { checkpoint: message.name },
      { requestId: message.requestId, by: session.clientId, role: session.role },
    );
    if (reply.type === 'accepted')
      this.parts.log(
        `lab reset to checkpoint "${message.name}" (version ${reply.version}) by ${session.clientId}`,
      );
    session.send(reply);
  }

  async delete(message: Message<'checkpointDelete'>, session: ClientSession): Promise<void> {
    try {
      await this.store.delete(message.name);
    } catch (error) {
      if (!(error instanceof CheckpointRefusal)) throw error;
      session.send(this.refusal(message.requestId, error));
      return;
    }
    this.parts.log(`checkpoint "${message.name}" deleted by ${session.clientId}`);
    session.send({ type: 'checkpointDeleted', requestId: message.requestId, name: message.name });
    this.parts.broadcast(await this.listMessage());
  }

  private refusal(requestId: string, error: CheckpointRefusal): ServerMessage {
    return {
      type: 'rejected',
      requestId,
      code: ErrorCode.invalid,
      message: error.message,
      path: error.path,
      currentVersion: this.parts.writer.version,
    };
  }
}
