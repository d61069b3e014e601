import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * One gridgov process at a time may open an embedded data directory.
 *
 * PGlite itself does not stop a second process from opening the same directory (both would write and
 * corrupt it), and after a `kill -9` it leaves its `postmaster.pid` behind, on which the next open can hang
 * without a word. So gridgov keeps its own lock file with the owner's pid: a lock whose process is gone is
 * stale and is cleared together with PGlite's pid file; a lock held by a live process is refused with a
 * message that says who holds it.
 */
export const LOCK_FILE = 'gridgov.lock';
const PGLITE_PID_FILE = 'postmaster.pid';

export interface DataDirLock {
  /** True when a stale lock of a crashed process was found and cleared. */
  readonly recovered: boolean;
  release(): void;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(
      `The data directory ${dataDir} is in use by another gridgov process (pid ${ownerPid}). ` +
        `Stop that process first, or start this one with another GRIDGOV_DATA_DIR. ` +
        `数据目录 ${dataDir} 正被另一个 gridgov 进程（pid ${ownerPid}）使用，请先停止该进程，或指定其他数据目录。`,
    );
    this.name = 'DataDirLockedError';
  }
}

interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

export function acquireDataDirLock(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = join(dataDir, LOCK_FILE);
  let recovered = false;
  // Two attempts: the second follows the removal of a stale lock. A third process racing us for the same
  // stale lock loses on the exclusive create and gets the "in use" answer.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx', 0o600);
      const owner: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
      writeSync(fd, JSON.stringify(owner));
      closeSync(fd);
      clearStalePgliteLock(dataDir);
      let released = false;
      return {
        recovered,
        release() {
          if (released) return;
          released = true;
          rmSync(lockPath, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = readOwner(lockPath);
      if (owner && owner.host === hostname() && isAlive(owner.pid) && owner.pid !== process.pid) {
        throw new DataDirLockedError(dataDir, owner.pid);
      }
      rmSync(lockPath, { force: true });
      recovered = true;
    }
  }
  throw new Error(`Could not take the lock ${lockPath}; another process keeps recreating it.`);
}

/**
 * With our own lock held, no live gridgov uses the directory, so a PGlite pid file is a leftover of a process
 * that died (a clean close removes it). Removing it is what a PostgreSQL server does with a pid file whose
 * process is gone.
 */
function clearStalePgliteLock(dataDir: string): void {
  rmSync(join(dataDir, PGLITE_PID_FILE), { force: true });
}

function readOwner(lockPath: string): LockOwner | null {
  try {
    const parsed = JSON.parse(readFileSync(lockPath, 'utf8')) as Partial<LockOwner>;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string' ? (parsed as LockOwner) : null;
  } catch {
    // An empty or half-written lock file means its writer died between create and write.
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
