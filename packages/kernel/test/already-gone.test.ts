import { describe, expect, it } from 'vitest';
import type { StepOutcome } from '@netcanvas/model';
import { alreadyGone } from '../src/apply';
import * as cmd from '../src/commands';

const failed = (step: StepOutcome['step'], stderr: string): StepOutcome => ({
  step,
  exitCode: 2,
  stderr,
  durationMs: 0,
});

describe('alreadyGone for routes', () => {
  const route = { to: '10.9.0.0/24', via: '10.0.0.1', dev: null, metric: null };

  it('counts `route del` of a route that is not there (ESRCH) as done', () => {
    expect(alreadyGone(failed(cmd.routeDel('ns0', route), 'RTNETLINK answers: No such process'))).toBe(true);
    expect(alreadyGone(failed(cmd.routeDel('root', route), 'RTNETLINK answers: No such process'))).toBe(true);
  });

  it('does not count other route failures, nor a `route add` answered the same', () => {
    expect(
      alreadyGone(failed(cmd.routeDel('ns0', route), 'RTNETLINK answers: Operation not permitted')),
    ).toBe(false);
    expect(alreadyGone(failed(cmd.routeAdd('ns0', route), 'RTNETLINK answers: No such process'))).toBe(false);
  });
});

describe('alreadyGone for namespace ids', () => {
  it('counts `netns set NAME auto` on a namespace that has an id as done (adopting one)', () => {
    const setAuto = cmd.netnsSetAuto('mine');
    expect(alreadyGone(failed(setAuto, 'Error: Peer netns already has a nsid assigned.'))).toBe(true);
    expect(alreadyGone(failed(setAuto, 'Error: Invalid argument.'))).toBe(false);
  });
});
