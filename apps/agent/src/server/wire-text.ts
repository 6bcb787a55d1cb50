import type { ServerMessage } from '@netcanvas/model';

/**
 * A message's JSON, made once however many sockets it goes to. A broadcast goes to every client
 * as the same object: at 1,000 namespaces a `document` is ~250 KB and ~2 ms to stringify, once per
 * client before this (a class of 30 watching: 60 ms of the agent's loop per edit). Messages are
 * not changed once sent, so the text stays true; it goes when the message does (a weak map).
 */
const texts = new WeakMap<ServerMessage, string>();

export function wireText(message: ServerMessage): string {
  let text = texts.get(message);
  if (text === undefined) {
    text = JSON.stringify(message);
    texts.set(message, text);
  }
  return text;
}
