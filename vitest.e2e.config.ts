import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * End-to-end flows: the real server and Chromium, two files at a time (each file has its own server on a copy of
 * the demo template, its own browser and its own ports). Run with `vitest run -c vitest.e2e.config.ts`.
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    environment: 'node',
    testTimeout: 180_000,
    hookTimeout: 240_000,
    teardownTimeout: 30_000,
    maxWorkers: 2,
    pool: 'forks',
    retry: 0,
  },
});
