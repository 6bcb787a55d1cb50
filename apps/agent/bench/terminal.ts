import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ServerMessage } from '@netcanvas/model';
import { startAgent } from '../src/core/agent';
import { connect, exchangeToken } from '../test/helpers/ws-client';

/**
 * pnpm bench:terminal — keystroke → echo through a browser terminal's path, over loopback: an
 * editor's WebSocket sends one `terminalInput` (a key, as xterm.js sends it) to the real agent
 * (`serve --terminals`), which writes it to the confined shell's pty in a sandbox namespace; the
 * time until the `terminalOutput` holding the echoed key arrives. The line is cleared (Ctrl-U)
 * every 40 keys. Median and p95; target p95 < 50 ms.
 */
const KEYS = Number(process.env.BENCH_KEYS ?? 300);
// Between keys: the page sends at most one message per 60 ms (TerminalView.tsx), inside the
// socket's limit of 20 messages a second.
const GAP_MS = 60;

const stateDir = await mkdtemp(path.join(tmpdir(), 'netcanvas-bench-terminal-'));
process.env.NETCANVAS_STATE_DIR = stateDir;
const agent = await startAgent({
  selector: { lab: `bench-terminal-${process.pid}` },
  port: 0,
  listen: '127.0.0.1',
  terminals: true,
});

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

try {
  const editor = await connect(agent.server.origin, await exchangeToken(agent.server.newEditorUrl()));
  await editor.hello();
  editor.send({ type: 'terminalOpen', requestId: 'open', namespace: 'root', cols: 120, rows: 40 });
  const opened = await editor.nextOfType('terminalAttached', 30_000);
  const id = opened.terminal.id;
  const output = (text: string) =>
    editor.next(
      (m: ServerMessage) => m.type === 'terminalOutput' && m.terminalId === id && m.data.includes(text),
      10_000,
    );
  // The prompt first: the shell is ready.
  await output('$ ');
  const times: number[] = [];
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  for (let i = 0; i < KEYS; i++) {
    const key = letters[i % letters.length] ?? 'a';
    const started = performance.now();
    editor.send({ type: 'terminalInput', terminalId: id, data: key });
    await output(key);
    times.push(performance.now() - started);
    if (i % 40 === 39) {
      // Ctrl-U: the line starts again, so it never wraps.
      await new Promise((resolve) => setTimeout(resolve, GAP_MS));
      editor.send({ type: 'terminalInput', terminalId: id, data: '\x15' });
      await editor.next((m: ServerMessage) => m.type === 'terminalOutput' && m.terminalId === id, 10_000);
    }
    await new Promise((resolve) => setTimeout(resolve, GAP_MS));
  }
  const sorted = [...times].sort((a, b) => a - b);
  const load = (await import('node:os')).loadavg()[0]?.toFixed(1);
  console.log(
    `keystroke → echo (${KEYS} keys, loopback, load ${load}): ` +
      `median ${percentile(sorted, 50).toFixed(2)} ms, p95 ${percentile(sorted, 95).toFixed(2)} ms, ` +
      `max ${(sorted.at(-1) ?? NaN).toFixed(2)} ms`,
  );
  await editor.close();
} finally {
  await agent.stop();
  await agent.lab.destroy({ force: true });
  await rm(stateDir, { recursive: true, force: true });
}
