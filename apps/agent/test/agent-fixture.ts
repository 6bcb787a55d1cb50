import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Lab } from '@netcanvas/kernel';
import type { Lesson, ServerMessage } from '@netcanvas/model';
import { startAgent, type RunningAgent } from '../src/core/agent';
import { connect, exchangeToken, type TestClient } from './helpers/ws-client';
import { testLabName } from '../../../packages/kernel/test/lab-fixture';

/**
 * A real agent on a free port, on a real sandbox lab, with its own state folder; and real
 * WebSocket clients that went through the token exchange like a browser.
 */
export interface AgentHarness {
  agent: RunningAgent;
  labName: string;
  stateDir: string;
  editor(): Promise<TestClient>;
  viewer(): Promise<TestClient>;
  /**
   * Runs a command inside the lab (as a person at a terminal would, behind the agent's back).
   * Killed after 15 s unless `timeoutMs` says otherwise (a loop of `ip netns add/del` at load 17
   * took longer: its exit code 1 was read as its own failure in earlier sessions).
   */
  sh(
    namespace: string,
    argv: string[],
    options?: { timeoutMs?: number },
  ): Promise<{ exitCode: number; stdout: string; stderr: string }>;
  /** Stops the agent (the lab stays), then `startAgain` brings a new one up on the same lab. */
  stopAgent(): Promise<void>;
  startAgain(): Promise<void>;
  stop(): Promise<void>;
}

/** `options.terminals`: as `serve --terminals`; `options.lesson`: as `serve --lesson`. */
export async function startHarness(
  tag: string,
  options: { terminals?: boolean; lesson?: Lesson } = {},
): Promise<AgentHarness> {
  const stateDir = await mkdtemp(path.join(tmpdir(), 'netcanvas-agent-test-'));
  process.env.NETCANVAS_STATE_DIR = stateDir;
  const labName = testLabName(tag);
  const start = async () => {
    try {
      return await startAgent({
        selector: { lab: labName },
        port: 0,
        listen: '127.0.0.1',
        terminals: options.terminals === true,
        ...(options.lesson ? { lesson: options.lesson } : {}),
      });
    } catch (error) {
      // A start that failed leaves the sandbox it made: a test must not leak it.
      await (await Lab.open({ lab: labName }, { create: false }).catch(() => null))?.destroy({ force: true });
      throw error;
    }
  };
  let agent = await start();
  let stopped = false;
  const clients: TestClient[] = [];
  const open = async (url: string) => {
    const client = await connect(agent.server.origin, await exchangeToken(url));
    clients.push(client);
    return client;
  };
  const harness: AgentHarness = {
    get agent() {
      return agent;
    },
    labName,
    stateDir,
    editor: () => open(agent.server.newEditorUrl()),
    viewer: () => open(agent.server.viewerUrl),
    sh: (namespace, argv, options) =>
      agent.lab.run(namespace, argv, { timeoutMs: options?.timeoutMs ?? 15_000 }),
    async stopAgent() {
      await Promise.all(clients.splice(0).map((c) => c.close()));
      await agent.stop();
      stopped = true;
    },
    async startAgain() {
      agent = await start();
      stopped = false;
    },
    async stop() {
      await Promise.all(clients.splice(0).map((c) => c.close()));
      const lab = agent.lab;
      if (!stopped) await agent.stop();
      await lab.destroy({ force: true });
      await rm(stateDir, { recursive: true, force: true });
    },
  };
  return harness;
}

let requestCounter = 0;
export const requestId = (): string => `r${++requestCounter}`;

/** Sends an edit on the client's current version and waits for its answer. */
export async function edit(
  client: TestClient,
  baseVersion: number,
  edits: unknown[],
  options: { converge?: boolean } = {},
): Promise<Extract<ServerMessage, { type: 'accepted' | 'rejected' }>> {
  const id = requestId();
  client.send({ type: 'edit', requestId: id, baseVersion, edits, ...options });
  const reply = await client.next(
    (m) => (m.type === 'accepted' || m.type === 'rejected') && m.requestId === id,
    30_000,
  );
  return reply as Extract<ServerMessage, { type: 'accepted' | 'rejected' }>;
}

export const tutorialEdits = [
  { type: 'addNamespace', name: 'ns0' },
  { type: 'addNamespace', name: 'ns1' },
  {
    type: 'connect',
    a: { node: 'ns0', ifname: 'veth0', addresses: ['10.0.1.1/24'] },
    b: { node: 'ns1', ifname: 'veth1', addresses: ['10.0.1.2/24'] },
  },
];
