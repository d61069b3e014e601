import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

const TESTS = /\.test\.tsx?$/;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : testFiles(path);
    return TESTS.test(entry.name) ? [path] : [];
  });
}

/**
 * Two projects. `integration`: the files that open a database (they use testing/test-database.ts); its global
 * setup migrates one template that each file copies — on embedded PGlite, or on the PostgreSQL server named by
 * TEST_DATABASE_URL (`npm run test:pg`). `unit`: every other file (pure rules, the web's logic, processes the
 * test starts itself), which starts without migrating anything.
 */
const files = ['src', 'bench'].flatMap(testFiles);
const opensDatabase = (file: string) => readFileSync(file, 'utf8').includes('testing/test-database');
const integration = files.filter(opensDatabase);
// On the PostgreSQL server (`npm run test:pg`, after `npm test` in CI) the pure tests would only repeat
// themselves: of the unit files, only those that read TEST_DATABASE_URL (processes started on the server) run.
const onServer = Boolean(process.env.TEST_DATABASE_URL);
const unit = files.filter(
  (file) => !opensDatabase(file) && (!onServer || readFileSync(file, 'utf8').includes('TEST_DATABASE_URL')),
);

// isolate: false — a worker runs its files one after another in one process, so the server's modules are loaded
// once per worker rather than once per file (loading them was over 40 % of the suite's time). The files share no
// state: each opens its own database, and the server keeps none in its modules beyond caches of pure results.
const common = { testTimeout: 60_000, hookTimeout: 120_000, isolate: false };

export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { test: { ...common, name: 'unit', include: unit } },
      {
        test: {
          ...common,
          name: 'integration',
          include: integration,
          globalSetup: ['src/server/testing/global-setup.ts'],
        },
      },
    ],
  },
});
