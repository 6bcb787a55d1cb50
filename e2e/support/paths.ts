import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');
/** Every lab this run makes is named `e2e-<run>-...`; the global teardown removes any left behind. */
export const runTag = (): string => process.env.NETCANVAS_E2E_RUN ?? 'x';
