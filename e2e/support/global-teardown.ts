import { Lab, listSandboxes } from '@netcanvas/kernel';
import { runTag } from './paths';

/** A test that leaked a lab fails the run, after the leak is cleaned up. */
export default async function globalTeardown(): Promise<void> {
  const leaked = (await listSandboxes()).filter((s) => s.lab.startsWith(`e2e-${runTag()}-`));
  for (const sandbox of leaked)
    await (await Lab.open({ lab: sandbox.lab }, { create: false })).destroy({ force: true });
  if (leaked.length > 0)
    throw new Error(`e2e labs left running (now removed): ${leaked.map((s) => s.lab).join(', ')}`);
}
