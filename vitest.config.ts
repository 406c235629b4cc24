import { defineConfig } from 'vitest/config';
import path from 'node:path';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['engine/**/*.test.ts', 'lib/**/*.test.ts', 'test/**/*.test.ts'],
    // Forks, not threads: native addons and our own worker_threads behave as in production.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    globalSetup: ['test/global-setup.ts'],
  },
});
