import { afterEach, describe, expect, it } from 'vitest';
import { findSandbox, type Lab } from '@netcanvas/kernel';
import { removeSandbox } from '../src/sandbox';
import { testLab } from './lab-fixture';

// A lab destroyed from outside leaves an object whose record names namespace ids that the kernel
// gives to new namespaces once they are freed: removing it again must not end another lab.

let labs: Lab[] = [];
afterEach(async () => {
  for (const lab of labs) await lab.destroy({ force: true });
  labs = [];
});

describe('removing a sandbox whose holder is gone', () => {
  it('kills nothing by namespace id: the ids may be another lab’s now', async () => {
    const gone = await testLab('gone');
    const other = await testLab('other');
    labs.push(gone, other);
    if (gone.target.kind !== 'sandbox' || other.target.kind !== 'sandbox') throw new Error('not sandboxes');
    const stale = gone.target.sandbox;
    await gone.destroy({ force: true });
    // What a reused id looks like: the dead lab's record, its namespace ids now the other lab's.
    await removeSandbox({ ...stale, netns: other.target.sandbox.netns, mntns: other.target.sandbox.mntns });
    expect(await findSandbox(other.name)).not.toBeNull();
  });
});
