import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { EXIT_USAGE } from '../src/cli/errors';
import { cliWithState, type Cli } from './helpers/cli';

/**
 * `serve --lesson` on the bundled command line: it finds the repo's lessons/ as it finds the web
 * app, and a bad lesson stops it before anything runs (no lab made), each problem with its line.
 */

let dir: string;
let cli: Cli;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'netcanvas-cli-lesson-'));
  cli = cliWithState(dir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('serve --lesson', () => {
  test('an unknown lesson is a usage error naming the built-in ones the bundle found', async () => {
    const result = await cli(['serve', '--lab', 'cli-lesson-none', '--port', '0', '--lesson', 'no-such']);
    expect(result.exitCode).toBe(EXIT_USAGE);
    expect(result.stderr).toMatch(
      /bad --lesson no-such: lesson: no built-in lesson "no-such" \(.*seed-tutorial.*\)/,
    );
    expect((await cli(['labs'])).stdout).not.toContain('cli-lesson-none');
  });

  test('a bad lesson file is refused with each line and field', async () => {
    const file = path.join(dir, 'bad.lesson.yml');
    await writeFile(
      file,
      'lesson: bad\ntitle: Bad\nsteps:\n  - title: no id\n    goals:\n      - pingable: { from: ns1 }\n',
    );
    const result = await cli(['serve', '--lab', 'cli-lesson-none', '--port', '0', '--lesson', file]);
    expect(result.exitCode).toBe(EXIT_USAGE);
    expect(result.stderr).toContain('line 4: steps[0].id:');
    expect(result.stderr).toContain('line 6: steps[0].goals[0].pingable: unknown goal kind "pingable"');
  });
});
