import type { ServerMessage } from '@netcanvas/model';
import { applyServerMessage } from '../protocol/apply-message';
import { parseServerMessage } from '../protocol/parse-message';

/**
 * An in-memory stand-in for the agent's WebSocket. A message's text goes through what
 * `protocol/socket.ts` does with it: `parseServerMessage` (`JSON.parse` and the protocol schema), then the same
 * `applyServerMessage`, so what is timed is what the page does when the real message arrives.
 */
export function parse(text: string): ServerMessage {
  const parsed = parseServerMessage(text);
  if (!parsed.ok) throw new Error(`the bench's message was refused: ${parsed.error}`);
  return parsed.message;
}

export const dispatch = (m: ServerMessage): void => {
  applyServerMessage(m);
};
