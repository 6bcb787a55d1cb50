import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import { run, type RunResult } from '@netcanvas/kernel/testing';

const main = path.resolve(import.meta.dirname, '../../src/cli/main.ts');
// tsx resolved from apps/agent (its dependency), so the tests do not depend on the working directory.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

export interface Cli {
  /** `netcanvas ARGS` as a person runs it, a subprocess, with `input` on its standard input. */
  (args: string[], input?: string): Promise<RunResult>;
  /** The same, expecting exit 0 (the output in the failure message); resolves to its stdout. */
  ok(args: string[], input?: string): Promise<string>;
}

/** The command line, with the agents' saved state in `stateDir` (NETCANVAS_STATE_DIR). */
export function cliWithState(stateDir: string): Cli {
  const cli = (args: string[], input?: string) =>
    run(['env', `NETCANVAS_STATE_DIR=${stateDir}`, process.execPath, '--import', tsx, main, ...args], {
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
