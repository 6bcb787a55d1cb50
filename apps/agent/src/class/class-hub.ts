import { ErrorCode, type ClientMessage } from '@netcanvas/model';
import type { ClientSession } from '../server';

type ClassMessage<T extends 'classWatch' | 'classLink' | 'classReset'> = Extract<ClientMessage, { type: T }>;

/**
 * What the trainer's agent answers for its class (classroom.ts). Its sessions reach it only as
 * editors (incoming.ts lets no viewer send a class message), and only the trainer's agent has
 * one: a student's agent answers every class message with `noClass`.
 */
export interface ClassHub {
  watch(message: ClassMessage<'classWatch'>, session: ClientSession): void;
  link(message: ClassMessage<'classLink'>, session: ClientSession): void;
  reset(message: ClassMessage<'classReset'>, session: ClientSession): Promise<void>;
}

/** The answer of an agent that runs no class. */
export function noClass(
  message: ClassMessage<'classWatch' | 'classLink' | 'classReset'>,
  session: ClientSession,
): void {
  session.send({
    type: 'rejected',
    requestId: message.requestId,
    code: ErrorCode.invalid,
    message: 'this agent runs no class: the trainer starts one with `netcanvas serve --class N`',
    path: 'type',
    currentVersion: -1,
  });
}
