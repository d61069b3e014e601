import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** End-to-end flows: the real server and Chromium, one file at a time. Run with `vitest run -c vitest.e2e.config.ts`. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 240_000,
    teardownTimeout: 30_000,
    fileParallelism: false,
    maxWorkers: 1,
    pool: 'forks',
    retry: 0,
  },
});
