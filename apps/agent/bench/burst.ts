import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ServerMessage } from '@netcanvas/model';
import { startAgent } from '../src/core/agent';
import { connect, exchangeToken, type TestClient } from '../test/helpers/ws-client';

/**
 * pnpm bench:burst — one editor's edit while 25 other editors drag nodes as fast as the door lets
 * them (1,000 moves in all, in bursts): how long the edit waits for `accepted`, and how many
 * saves the moves cost. Before the writer merged queued moves, each was its own save, in line
 * ahead of the edit.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const MOVERS = 25;
const MOVES_EACH = 40; // the door's burst

const stateDir = await mkdtemp(path.join(tmpdir(), 'netcanvas-bench-burst-'));
process.env.NETCANVAS_STATE_DIR = stateDir;
const agent = await startAgent({
  selector: { lab: `bench-burst-${process.pid}` },
  port: 0,
  listen: '127.0.0.1',
});
const open = async () => {
  const c = await connect(agent.server.origin, await exchangeToken(agent.server.newEditorUrl()));
  await c.hello();
  return c;
};
const answer = (c: TestClient, id: string) =>
  c.next(
    (m: ServerMessage) => (m.type === 'accepted' || m.type === 'rejected') && m.requestId === id,
    60_000,
  );

try {
  const editor = await open();
  let version = 0;
  const first = await answer(
    editor,
    (editor.send({
      type: 'edit',
      requestId: 'n',
      baseVersion: 0,
      edits: [{ type: 'addNamespace', name: 'n' }],
    }),
    'n'),
  );
  if (first.type === 'accepted') version = first.version;
  const movers: TestClient[] = [];
  for (let i = 0; i < MOVERS; i++) movers.push(await open());
  const waits: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // The door lets a connection send a burst of 40, then 20 a second: let the buckets fill.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const before = version;
    const moved = movers.flatMap((mover, k) =>
      Array.from({ length: MOVES_EACH }, (_, i) => {
        const id = `m${round}-${k}-${i}`;
        mover.send({
          type: 'edit',
          requestId: id,
          baseVersion: version,
          edits: [{ type: 'setPosition', node: 'n', position: { x: k, y: i } }],
        });
        return answer(mover, id);
      }),
    );
    const id = `e${round}`;
    const started = performance.now();
    editor.send({
      type: 'edit',
      requestId: id,
      baseVersion: version,
      edits: [{ type: 'addNamespace', name: `x${round}` }],
    });
    let reply = await answer(editor, id);
    // A move may have taken the version first: the editor's client would retry on the new one.
    while (reply.type === 'rejected' && reply.code === 'ERR_STALE_VERSION') {
      editor.send({
        type: 'edit',
        requestId: `${id}r`,
        baseVersion: reply.currentVersion,
        edits: [{ type: 'addNamespace', name: `x${round}` }],
      });
      reply = await answer(editor, `${id}r`);
    }
    waits.push(performance.now() - started);
    const replies = await Promise.all(moved);
    const versions = new Set(replies.flatMap((r) => (r.type === 'accepted' ? [r.version] : [])));
    const busy = replies.filter((r) => r.type === 'rejected').length;
    version = Math.max(version, ...versions, reply.type === 'accepted' ? reply.version : 0);
    console.log(
      `round ${round + 1}: the editor's edit answered in ${waits.at(-1)?.toFixed(0)} ms; ${replies.length} moves → ${versions.size} saves, ${busy} refused busy (versions ${before}→${version})`,
    );
  }
  const sorted = [...waits].sort((a, b) => a - b);
  console.log(`median wait of the editor's edit: ${sorted[Math.floor(sorted.length / 2)]?.toFixed(0)} ms`);
  for (const c of [editor, ...movers]) await c.close();
} finally {
  const lab = agent.lab;
  await agent.stop();
  await lab.destroy({ force: true });
  await rm(stateDir, { recursive: true, force: true });
}
