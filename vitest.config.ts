import { defineConfig } from 'vitest/config';

/**
 * Unit and integration tests. Integration tests run on embedded PGlite, or on the PostgreSQL server named by
 * TEST_DATABASE_URL (`npm run test:pg`); the global setup migrates one template that each test file copies.
 */
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts'],
    globalSetup: ['src/server/testing/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
