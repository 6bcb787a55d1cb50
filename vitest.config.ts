import { defineConfig } from 'vitest/config';

// Three projects: `unit` is pure logic (no root, no processes); `kernel` runs on the real kernel,
// inside sandboxes, and needs root. Kernel test files end in `.kernel.test.ts`. `faults` (root too)
// is the property-based fault suite (apps/agent/test/faults): random edits, terminal actions,
// killed helpers and restarts against a real agent; its files end in `.faults.test.ts`.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts'],
          exclude: ['**/*.kernel.test.ts', '**/*.faults.test.ts', '**/node_modules/**'],
          // Vitest's default is one worker less than the cores: one on two, the other core idle
          // while ~100 files are imported one after another (docs/testing.md).
          maxWorkers: 2,
          // Worker threads, not processes (Vitest's default): each file is still imported alone, in a
          // fresh module graph, and the stage took ~24 % less CPU (the whole unit project, twice
          // each way in a cgroup: 158 and 150 s with forks, 121 and 120 s with threads;
          // docs/testing.md, session 13). Nothing here needs a process of its own: no root, no
          // processes, no process.chdir.
          pool: 'threads',
          // Property tests draw new random cases each run, and some cases are large: a run of
          // one property took 1–5 s on a loaded machine (adopt-all, 150 labs), and Vitest's 5 s
          // default failed a CI rehearsal on a CPU-bound test that was not stuck. The timeout is
          // for a test that hangs, not a speed target.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'kernel',
          include: ['packages/*/test/**/*.kernel.test.ts', 'apps/*/test/**/*.kernel.test.ts'],
          exclude: ['**/*.faults.test.ts', '**/node_modules/**'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          globalSetup: ['packages/kernel/test/global-setup.ts'],
          // Each file makes its own sandboxes; two cores, so not too many at once.
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'faults',
          include: ['apps/agent/test/faults/**/*.faults.test.ts'],
          // The property bounds its own time (FAULT_RUNS x FAULT_STEPS, and a time limit on shrinking).
          testTimeout: 600_000,
          hookTimeout: 60_000,
          globalSetup: ['packages/kernel/test/global-setup.ts'],
          // One agent and one lab at a time: the suite measures a 2-core machine's agent, not contention.
          maxWorkers: 1,
        },
      },
    ],
  },
});
