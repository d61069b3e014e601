import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError, LOCK_FILE } from './data-dir-lock.ts';

const freshDir = () => mkdtempSync(join(tmpdir(), 'gridgov-lock-'));

describe('the data directory lock', () => {
  it('clears a lock left by a process that died, with PGlite’s stale pid file', () => {
    const dir = freshDir();
    // A pid far above any pid_max is never alive.
    writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 2 ** 30, host: hostname() }));
    writeFileSync(join(dir, 'postmaster.pid'), '-42\n/pglite/data\n');
    const lock = acquireDataDirLock(dir);
    expect(lock.recovered).toBe(true);
    expect(existsSync(join(dir, 'postmaster.pid'))).toBe(false);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('refuses while another live process holds the directory, and says which', async () => {
    const dir = freshDir();
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: holder.pid, host: hostname() }));
      expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
      expect(() => acquireDataDirLock(dir)).toThrow(`pid ${holder.pid}`);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('treats a half-written lock file as stale', () => {
    const dir = freshDir();
    writeFileSync(join(dir, LOCK_FILE), '');
    const lock = acquireDataDirLock(dir);
    expect(lock.recovered).toBe(true);
    lock.release();
  });
});
