import { ServerMessage } from '@netcanvas/model';
import { applyServerMessage } from '../protocol/apply-message';

/**
 * An in-memory stand-in for the agent's WebSocket. A message's text goes through what
 * `protocol/socket.ts` does with it: `JSON.parse` and the protocol schema (`parse`), then the same
 * `applyServerMessage`, so what is timed is what the page does when the real message arrives.
 */
export const parse = (text: string): ServerMessage => ServerMessage.parse(JSON.parse(text));

export const dispatch = (m: ServerMessage): void => {
  applyServerMessage(m);
};
