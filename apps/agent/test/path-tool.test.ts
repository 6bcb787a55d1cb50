import { describe, expect, it } from 'vitest';
import { ClientMessage, type ObservedState, type PathCommand, type PathResult } from '@netcanvas/model';
import { answerPath, pathRecords } from '../src/core/path-tool';
import type { SessionCore } from '../src/core/client-sessions';
import type { ClientSession } from '../src/server';
import { allowedFor } from '../src/server/incoming';
import { observedWith } from './helpers/observed';

// The packet path through the agent: who may ask (it sends a probe: editors only), what the wire
// takes, and the command log's order.

const command = (argv: string): PathCommand => ({
  context: 'root',
  argv: argv.split(' '),
  exitCode: 0,
  stderr: '',
  durationMs: 3,
});

describe('the path message', () => {
  it('is an editor’s only', () => {
    expect(allowedFor('editor', 'path')).toBe(true);
    expect(allowedFor('viewer', 'path')).toBe(false);
  });

  it('is read loosely on the wire, so a wrong field is answered by name (not dropped as unreadable)', () => {
    const parsed = ClientMessage.safeParse({
      type: 'path',
      requestId: 'r1',
      from: 'h1',
      to: '10.2.0.300',
      protocol: 'tcp',
      port: 70000,
    });
    expect(parsed.success).toBe(true);
    expect(
      ClientMessage.safeParse({ type: 'path', requestId: 'r1', from: 'h1', to: 'x', protocol: 'sctp' })
        .success,
    ).toBe(false);
  });
});

describe('pathRecords', () => {
  it('logs the commands in the order they ran: counters, probe, counters, each hop', () => {
    const result = {
      request: { from: 'h1', to: '10.2.0.100', protocol: 'icmp', port: null },
      probe: command('ip netns exec h1 ping -n -c 1 -W 1 10.2.0.100'),
      answered: true,
      hops: [{ commands: [command('ip netns exec h1 ip -j route get 10.2.0.100')] }],
      end: { kind: 'delivered', namespace: 'srv', answered: true },
      commands: [
        command('ip -all netns exec iptables-save -c'),
        command('iptables-save -c'),
        command('ip -all netns exec iptables-save -c'),
        command('iptables-save -c'),
      ],
      durationMs: 10,
    } as unknown as PathResult;
    const records = pathRecords(result, 'client-1');
    expect(records.map((r) => r.argv.slice(0, 5).join(' '))).toEqual([
      'ip -all netns exec iptables-save',
      'iptables-save -c',
      'ip netns exec h1 ping',
      'ip -all netns exec iptables-save',
      'iptables-save -c',
      'ip netns exec h1 ip',
    ]);
    expect(records[0]).toMatchObject({ by: 'client-1', reason: 'packet path h1 → 10.2.0.100' });
  });
});

describe('answerPath', () => {
  it('traces on what the kernel has now, not the last read: a path asked right after an edit', async () => {
    const tracedOn: ObservedState[] = [];
    const core = {
      // The last read is from before the edit that made h1; a fresh read has it.
      live: { observed: observedWith([]), fresh: async () => observedWith(['h1']) },
      lab: {
        tracePath: async (_request: unknown, observed: ObservedState) => {
          tracedOn.push(observed);
          return { request: {}, probe: command('ping'), hops: [], commands: [] } as unknown as PathResult;
        },
      },
      audit: { append: async () => undefined },
      commandLog: { remember: () => undefined },
    } as unknown as SessionCore;
    const sent: unknown[] = [];
    const session = {
      send: (m: unknown) => sent.push(m),
      clientId: 'c1',
      role: 'editor',
    } as unknown as ClientSession;
    await answerPath(
      { type: 'path', requestId: 'r1', from: 'h1', to: '10.2.0.100', protocol: 'icmp' },
      session,
      core,
    );
    expect(tracedOn.map((o) => o.namespaces.map((ns) => ns.name))).toEqual([['h1']]);
    expect(sent).toMatchObject([{ type: 'pathResult', requestId: 'r1' }]);
  });
});
