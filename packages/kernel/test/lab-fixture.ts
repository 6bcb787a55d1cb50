import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Lab, LabInputError, type IoMode } from '@netcanvas/kernel';
import { validateTopology, type Topology } from '@netcanvas/model';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');

/** `t-RUN-TAG-RANDOM`: the global teardown removes (and reports) any lab of this run left behind. */
export const testLabName = (tag: string): string =>
  `t-${process.env.NETCANVAS_TEST_RUN ?? 'x'}-${tag}-${randomBytes(3).toString('hex')}`;

/** A fresh sandbox lab with a unique test name; always destroy it (with force) in afterEach/afterAll. */
export async function testLab(tag: string, mode: IoMode = 'oneshot'): Promise<Lab> {
  return Lab.open({ lab: testLabName(tag) }, { create: true, mode });
}

export function loadExample(name: string): Topology {
  const result = validateTopology(JSON.parse(readFileSync(path.join(repoRoot, 'examples', name), 'utf8')));
  if (!result.ok) throw new Error(`example ${name} is invalid: ${JSON.stringify(result.issues)}`);
  return result.value;
}

export function topology(input: unknown): Topology {
  const result = validateTopology(input);
  if (!result.ok) throw new Error(`invalid test topology: ${JSON.stringify(result.issues)}`);
  return result.value;
}

/** The field a lab tool refused `work` for (its LabInputError), or null when it did not refuse. */
export async function refusedField(work: () => Promise<unknown>): Promise<string | null> {
  try {
    await work();
    return null;
  } catch (error) {
    if (error instanceof LabInputError) return error.field;
    throw error;
  }
}
