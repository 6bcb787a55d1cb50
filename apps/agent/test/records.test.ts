import { applyReport, makeStep, type Step } from '@netcanvas/model';
import { describe, expect, it } from 'vitest';
import { toRecords } from '../src/core/records';

const step = (bridge?: Step['bridge']): Step =>
  makeStep({
    context: 'ns2',
    op: 'linkSet',
    args: ['link', 'set', 'dev', 'veth0', 'master', 'br0'],
    reason: 'port of its bridge',
    effect: { destroys: false, touches: ['ns2'] },
    ...(bridge ? { bridge } : {}),
  });

describe('command log records', () => {
  it('carry a bridge step’s brctl form, and none for other steps (brctl ≡ ip)', () => {
    const ran = (s: Step) => ({ step: s, exitCode: 0, stderr: '', durationMs: 1 });
    const report = applyReport({
      ok: true,
      done: [ran(step({ action: 'addif', bridge: 'br0', port: 'veth0' })), ran(step())],
      failed: null,
      notRun: [],
      durationMs: 2,
    });
    const [port, plain] = toRecords(report, 'editor');
    expect(port?.brctl).toBe('ip netns exec ns2 brctl addif br0 veth0');
    expect(plain).not.toHaveProperty('brctl');
  });
});
