import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { run, type RunResult } from '@netcanvas/kernel/testing';
import { netcanvasCommand } from './helpers/cli';
import { ObservedState, findInterface } from '@netcanvas/model';

/**
 * The `netcanvas` command line, run as a subprocess the way a person runs it, against real sandbox
 * labs. Every lab here is named `t-cli-...` and destroyed with --force afterwards, pass or fail.
 */

const repoRoot = path.resolve(import.meta.dirname, '../../..');
const example = path.join(repoRoot, 'examples/veth-pair.json');

const cli = (args: string[], input?: string): Promise<RunResult> =>
  run([...netcanvasCommand, ...args], {
    ...(input !== undefined ? { input } : {}),
    timeoutMs: 30_000,
  });

const labName = (tag: string) => `t-cli-${tag}-${randomBytes(3).toString('hex')}`;
const lab = labName('main');
const neverMade = labName('dry');
const invalid = labName('bad');
const scratch = mkdtempSync(path.join(tmpdir(), 'netcanvas-cli-'));

const listedLabs = async (): Promise<string[]> => {
  const result = await cli(['labs', '--json']);
  expect(result.exitCode, result.stderr).toBe(0);
  return (JSON.parse(result.stdout) as { lab: string }[]).map((l) => l.lab);
};

describe.skipIf(process.getuid?.() !== 0)('netcanvas CLI on a real kernel', () => {
  afterAll(async () => {
    rmSync(scratch, { recursive: true, force: true });
    // Whatever happened above, no test lab outlives the file.
    for (const name of [lab, neverMade, invalid]) await cli(['destroy', '--force', '--lab', name]);
  });

  test('apply builds the veth pair, and ns1 can ping ns0 through exec', async () => {
    const applied = await cli(['apply', example, '--lab', lab]);
    expect(applied.exitCode, applied.stderr).toBe(0);
    expect(applied.stdout).toContain(`created sandbox lab "${lab}"`);
    expect(applied.stdout).toContain('  ip -n ns0 addr add 10.0.1.1/24 dev veth0   # address missing');
    expect(applied.stdout).toMatch(/^applied \d+ commands in \d+ ms$/m);

    const ping = await cli(['exec', 'ns1', '--lab', lab, '--', 'ping', '-c', '1', '-W', '2', '10.0.1.1']);
    expect(ping.exitCode, ping.stdout + ping.stderr).toBe(0);
    expect(ping.stdout).toContain('1 received');
  });

  test("exec exits with the command's own exit code", async () => {
    expect((await cli(['exec', 'ns1', '--lab', lab, '--', 'false'])).exitCode).toBe(1);
    expect((await cli(['exec', 'ns1', '--lab', lab, '--', 'sh', '-c', 'exit 7'])).exitCode).toBe(7);
  });

  test('observe --json shows veth0 in ns0 with its peer veth1 in ns1', async () => {
    const result = await cli(['observe', '--json', '--lab', lab]);
    expect(result.exitCode, result.stderr).toBe(0);
    const state = ObservedState.parse(JSON.parse(result.stdout));
    expect(state.target).toMatchObject({ kind: 'sandbox', lab });
    const veth0 = findInterface(state, 'ns0', 'veth0');
    expect(veth0?.managed).toBe(true);
    expect(veth0?.addresses).toContain('10.0.1.1/24');
    expect(veth0?.peer).toMatchObject({ namespace: 'ns1', ifname: 'veth1' });
  });

  test('observe lists namespaces and interfaces as text', async () => {
    const result = await cli(['observe', '--lab', lab]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^ns0 {2}\(managed\)$/m);
    expect(result.stdout).toContain('peer ns1:veth1 (ifindex ');
    expect(result.stdout).toContain('10.0.1.1/24');
  });

  test('apply --dry-run right after apply prints only comment lines', async () => {
    const result = await cli(['apply', example, '--dry-run', '--lab', lab]);
    expect(result.exitCode, result.stderr).toBe(0);
    const lines = result.stdout.split('\n').filter((line) => line !== '');
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^#/);
    expect(result.stdout).toContain('already matches');
  });

  test('apply --dry-run on a lab that does not exist prints the commands and creates no lab', async () => {
    const result = await cli(['apply', example, '--dry-run', '--lab', neverMade]);
    expect(result.exitCode, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('#!/bin/sh');
    expect(lines).toContain('set -e');
    expect(lines).toContain('ip netns add ns0');
    expect(lines).toContain('ip netns add ns1');
    expect(await listedLabs()).not.toContain(neverMade);
  });

  test('an invalid file exits 2 naming the bad field, and creates no lab', async () => {
    const file = path.join(scratch, 'long-ifname.json');
    writeFileSync(
      file,
      JSON.stringify({
        schemaVersion: 1,
        namespaces: [{ name: 'ns0' }, { name: 'ns1' }],
        links: [{ a: { node: 'ns0', ifname: 'abcdefghijklmnop' }, b: { node: 'ns1', ifname: 'veth1' } }],
      }),
    );
    const result = await cli(['apply', file, '--lab', invalid]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`${file}: links[0].a.ifname: 16 bytes, at most 15`);
    expect(result.stdout).toBe('');
    expect(await listedLabs()).not.toContain(invalid);
  });

  test("shell ns0 runs piped commands inside ns0 and returns the last one's exit code", async () => {
    const result = await cli(
      ['shell', 'ns0', '--lab', lab],
      'ip -br addr\necho "lab=$NETCANVAS_LAB"\nexit 3\n',
    );
    expect(result.exitCode, result.stderr).toBe(3);
    expect(result.stdout).toMatch(/^veth0@\S+\s+UP\s+10\.0\.1\.1\/24/m);
    expect(result.stdout).toContain(`lab=${lab}`);
  });

  test('labs --json lists the lab with ns0 and ns1', async () => {
    const result = await cli(['labs', '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const entry = (JSON.parse(result.stdout) as { lab: string; namespaces: string[] }[]).find(
      (l) => l.lab === lab,
    );
    expect(entry?.namespaces).toEqual(['ns0', 'ns1']);
  });

  test('observe on an unknown lab is one line on stderr, exit 1, no stack trace', async () => {
    const result = await cli(['observe', '--lab', neverMade]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `netcanvas: no sandbox lab named "${neverMade}" is running; ` +
        // The command as it was started: the installed one here (`pnpm netcanvas` from the sources).
        `create one with: netcanvas apply FILE --lab ${neverMade}\n`,
    );
  });

  test('a bad lab name is refused before anything runs', async () => {
    const result = await cli(['observe', '--lab', '../etc']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('bad lab name "../etc"');
  });

  test('destroy removes the lab, and destroying it again succeeds', async () => {
    const first = await cli(['destroy', '--lab', lab]);
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stdout).toBe(`removed sandbox lab "${lab}"\n`);
    expect(await listedLabs()).not.toContain(lab);

    const second = await cli(['destroy', '--lab', lab]);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(second.stdout).toBe(`no sandbox lab named "${lab}"; nothing to destroy\n`);
  });
});
