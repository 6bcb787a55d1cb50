import { FirewallRule, ruleArgs, type CommandRecord } from '@netcanvas/model';
import { describe, expect, it } from 'vitest';
import { logToScript } from '../src/lib/script';

const record = (argv: string[], extra: Partial<CommandRecord> = {}): CommandRecord => ({
  at: '2026-01-01T00:00:00.000Z',
  by: 'editor',
  context: 'root',
  argv,
  reason: 'rule missing',
  exitCode: 0,
  stderr: '',
  durationMs: 1,
  ...extra,
});

describe('the command log as a shell script', () => {
  it('quotes a LOG prefix with spaces and leaves iptables’ "!" bare, so each line pastes', () => {
    const rule = FirewallRule.parse({
      chain: 'INPUT',
      protocol: 'tcp',
      destinationPorts: [22, 80],
      not: ['destinationPorts'],
      target: 'LOG',
      logPrefix: 'DROP IN: ',
    });
    const argv = ['ip', 'netns', 'exec', 'r1', 'iptables', '-A', 'INPUT', ...ruleArgs(rule)];
    const script = logToScript([record(argv), record(['ip', 'netns', 'add', 'x'], { exitCode: 1 })], 'demo');
    expect(script.split('\n')).toContain(
      "ip netns exec r1 iptables -A INPUT -p tcp -m multiport ! --dports 22,80 -m comment --comment netcanvas -j LOG --log-prefix 'DROP IN: '",
    );
    expect(script).not.toContain('netns add x');
  });

  it('says a bridge command’s brctl form in the comment above it (brctl ≡ ip)', () => {
    const addbr = record(['ip', 'link', 'add', 'name', 'br0', 'type', 'bridge'], {
      reason: 'missing',
      brctl: 'brctl addbr br0',
    });
    const lines = logToScript([addbr], 'demo').split('\n');
    const at = lines.indexOf('ip link add name br0 type bridge');
    expect(lines[at - 1]).toBe('# missing (editor); ≡ brctl addbr br0');
  });
});
