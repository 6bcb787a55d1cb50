import path from 'node:path';
import { expect } from 'vitest';
import { run, type RunResult } from '@netcanvas/kernel/testing';

/**
 * The command line as the tests run it: the bundle (`dist/netcanvas.cjs`, made current by the
 * kernel tests' global setup), not the sources through tsx, which cost ~1.2 s more a call
 * (apps/agent/README.md). The bundle itself, not the bin: a test of the bin's rebuilds
 * (cli-bundle.kernel.test.ts) makes it stale on purpose, and a bin started then would rebuild too.
 */
export const netcanvasCommand: readonly string[] = [
  process.execPath,
  path.resolve(import.meta.dirname, '../../dist/netcanvas.cjs'),
];

export interface Cli {
  /** `netcanvas ARGS` as a person runs it, a subprocess, with `input` on its standard input. */
  (args: string[], input?: string): Promise<RunResult>;
  /** The same, expecting exit 0 (the output in the failure message); resolves to its stdout. */
  ok(args: string[], input?: string): Promise<string>;
}

/** The command line, with the agents' saved state in `stateDir` (NETCANVAS_STATE_DIR). */
export function cliWithState(stateDir: string): Cli {
  const cli = (args: string[], input?: string) =>
    run(['env', `NETCANVAS_STATE_DIR=${stateDir}`, ...netcanvasCommand, ...args], {
      ...(input !== undefined ? { input } : {}),
      timeoutMs: 60_000,
    });
  const ok = async (args: string[], input?: string) => {
    const result = await cli(args, input);
    expect(result.exitCode, `netcanvas ${args.join(' ')}\n${result.stdout}\n${result.stderr}`).toBe(0);
    return result.stdout;
  };
  return Object.assign(cli, { ok });
}
