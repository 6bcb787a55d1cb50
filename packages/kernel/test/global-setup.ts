import { Lab, listSandboxes } from '@netcanvas/kernel';
import { run } from '@netcanvas/kernel/testing';
import path from 'node:path';

/**
 * Kernel tests run as root on the real kernel, each in its own sandbox labs named `t-...`. This
 * checks that the host is untouched and that every test lab is gone at the end: a test that leaks
 * a sandbox fails the run, after the leak has been cleaned up.
 */
/** Each run tags its labs, so two runs at once (or a later run) never remove each other's. */
const runTag = () => process.env.NETCANVAS_TEST_RUN as string;

async function hostState(): Promise<string> {
  const [netns, links] = await Promise.all([run(['ip', 'netns', 'list']), run(['ip', '-o', 'link', 'show'])]);
  const names = links.stdout
    .split('\n')
    .map((l) => l.split(': ')[1]?.split('@')[0])
    .filter(Boolean);
  return `namespaces: ${netns.stdout.trim() || '(none)'}\nlinks: ${names.sort().join(' ')}`;
}

/**
 * The command line's tests run its bundle (apps/agent/test/helpers/cli.ts): the bin makes it
 * current first when its sources are newer, once, before any test starts.
 */
async function freshCliBundle(): Promise<void> {
  const bin = path.resolve(import.meta.dirname, '../../../apps/agent/bin/netcanvas.js');
  const built = await run([process.execPath, bin, '--version'], { timeoutMs: 120_000 });
  if (built.exitCode !== 0) throw new Error(`the command line's bundle did not build:\n${built.stderr}`);
}

export default async function setup(): Promise<() => Promise<void>> {
  if (process.getuid?.() !== 0)
    throw new Error('kernel tests need root (they build real namespaces inside sandboxes)');
  await freshCliBundle();
  process.env.NETCANVAS_TEST_RUN ??= Math.random().toString(16).slice(2, 8);
  const before = await hostState();
  return async () => {
    const leaked = (await listSandboxes()).filter((s) => s.lab.startsWith(`t-${runTag()}-`));
    for (const sandbox of leaked)
      await (await Lab.open({ lab: sandbox.lab }, { create: false })).destroy({ force: true });
    const after = await hostState();
    const problems: string[] = [];
    if (leaked.length > 0)
      problems.push(`test labs left running (now removed): ${leaked.map((s) => s.lab).join(', ')}`);
    if (after !== before)
      problems.push(`the host changed during the tests:\nbefore ${before}\nafter  ${after}`);
    if (problems.length > 0) throw new Error(problems.join('\n'));
  };
}
