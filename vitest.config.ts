import { defineConfig } from 'vitest/config';

// Two projects: `unit` is pure logic (no root, no processes); `kernel` runs on the real kernel,
// inside sandboxes, and needs root. Kernel test files end in `.kernel.test.ts`.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts'],
          exclude: ['**/*.kernel.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: {
          name: 'kernel',
          include: ['packages/*/test/**/*.kernel.test.ts', 'apps/*/test/**/*.kernel.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
          globalSetup: ['packages/kernel/test/global-setup.ts'],
          // Each file makes its own sandboxes; two cores, so not too many at once.
          maxWorkers: 2,
        },
      },
    ],
  },
});
