import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The flows over the demo history start first: their server spends minutes writing the history in the
 * background, time the other worker fills with the other files instead of waiting for them at the end.
 */
const HISTORY_FIRST = ['evaluation.e2e.ts'];

class HistoryFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const first = (file: TestSpecification) => HISTORY_FIRST.some((name) => file.moduleId.endsWith(name));
    return [...sorted.filter(first), ...sorted.filter((file) => !first(file))];
  }
}

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
    sequence: { sequencer: HistoryFirst },
  },
});
