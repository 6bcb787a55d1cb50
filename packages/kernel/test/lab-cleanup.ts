import { afterEach } from 'vitest';
import type { IoMode, Lab } from '@netcanvas/kernel';
import { testLab } from './lab-fixture';

/**
 * The sandbox labs of a test file, each destroyed (with force) after the test that made it, passed
 * or failed: `const newLab = labsOfEachTest()` at the file's top, then `await newLab('tag')` in a
 * test. `mode` is the io mode a lab gets unless the call says another.
 */
export function labsOfEachTest(mode: IoMode = 'oneshot'): (tag: string, mode?: IoMode) => Promise<Lab> {
  const labs: Lab[] = [];
  afterEach(async () => {
    for (const lab of labs.splice(0)) await lab.destroy({ force: true });
  });
  return async (tag, own = mode) => {
    const lab = await testLab(tag, own);
    labs.push(lab);
    return lab;
  };
}
