import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIVISIONS_CSV } from '../server/testing/factories.ts';
import { runCli } from '../server/testing/processes.ts';

/** The CLI as a script sees it: exit codes and messages. Runs on the embedded database only. */
describe.skipIf(Boolean(process.env.TEST_DATABASE_URL))('the gridgov command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gridgov-cli-'));
  const env = { GRIDGOV_DATA_DIR: join(dir, 'data'), DATABASE_URL: '', GRIDGOV_LANG: 'en-US' };

  it('imports divisions, rejects a bad file with exit code 3 and its lines, and verifies the audit log', () => {
    const good = join(dir, 'good.csv');
    writeFileSync(good, DIVISIONS_CSV);
    const imported = runCli(['import-divisions', good], env);
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('8 created');

    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'code,name,level,parent_code\n440605121777,坏行,hamlet,440605121\n');
    const rejected = runCli(['import-divisions', bad], env);
    expect(rejected.status).toBe(3);
    expect(rejected.stderr).toContain('Import not applied: 1 rows have errors');
    expect(rejected.stderr).toContain('line 2 [440605121777]');

    const verified = runCli(['audit', 'verify'], env);
    expect(verified.status).toBe(0);
    expect(verified.stdout).toMatch(/Audit log intact: \d+ entries verified/);

    const usage = runCli(['no-such-command'], env);
    expect(usage.status).toBe(2);
  }, 120_000);
});
