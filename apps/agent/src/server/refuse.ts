import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

/**
 * Answers an upgrade request we will not complete, with a plain HTTP status, and cuts the
 * socket. It happens before `handleUpgrade`, so no WebSocket (and no session) ever exists.
 */
export function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  const body = `${text}\n`;
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Refused'}`,
    'Connection: close',
    'Content-Type: text/plain; charset=utf-8',
    'X-Content-Type-Options: nosniff',
    'Cache-Control: no-store',
    `Content-Length: ${Buffer.byteLength(body)}`,
  ].join('\r\n');
  // end() then destroy once flushed (as ws does), so the client reads the status before the cut;
  // the timer covers a peer that never lets the write finish.
  const cut = setTimeout(() => socket.destroy(), 1000);
  cut.unref();
  socket.once('finish', () => {
    clearTimeout(cut);
    socket.destroy();
  });
  socket.end(`${head}\r\n\r\n${body}`);
}

/** A header value as it may appear in a log line: attacker-chosen, so printable ASCII only and short. */
export function forLog(value: string | undefined): string {
  if (value === undefined) return '(none)';
  const clean = value.replace(/[^\x20-\x7e]/g, '?');
  return JSON.stringify(clean.length > 80 ? `${clean.slice(0, 80)}…` : clean);
}
