import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { AppError } from '../errors.ts';

/**
 * pg_dump and pg_restore, PostgreSQL's own client programs: the only tools that copy a server's database
 * consistently while it is in use. They are found on PATH, or in `binDir` (GRIDGOV_PG_BIN_DIR) when the
 * server's version is installed elsewhere (e.g. /usr/lib/postgresql/17/bin).
 */
export type PgTool = 'pg_dump' | 'pg_restore';

export interface PgToolRun {
  binDir?: string | undefined;
  databaseUrl: string;
  args: string[];
}

/** The major version of a tool (`pg_dump -V` → 15), or a message saying how to install it. */
export async function toolMajorVersion(tool: PgTool, binDir?: string): Promise<number> {
  const { stdout } = await run(tool, binDir, ['--version'], {});
  const major = /\(PostgreSQL\)\s+(\d+)/.exec(stdout)?.[1];
  if (!major) throw new Error(`cannot read the version of ${tool} from "${stdout.trim()}"`);
  return Number(major);
}

/**
 * Refuses a tool older than the server: pg_dump cannot read a newer server's catalogue, and pg_restore
 * cannot read an archive a newer pg_dump wrote.
 */
export async function requireToolVersion(tool: PgTool, atLeast: number, binDir?: string): Promise<number> {
  const major = await toolMajorVersion(tool, binDir);
  if (major < atLeast) {
    throw new AppError('BACKUP_FAILED', {
      reason: {
        zh: `${tool} 版本为 ${major}，低于 PostgreSQL ${atLeast}。请安装 ${atLeast} 或更高版本的客户端工具（如 postgresql-client-${atLeast}），或用 GRIDGOV_PG_BIN_DIR 指向其目录`,
        en: `${tool} is version ${major}, older than PostgreSQL ${atLeast}. Install the client tools of version ${atLeast} or newer (e.g. postgresql-client-${atLeast}), or point GRIDGOV_PG_BIN_DIR at them`,
      },
    });
  }
  return major;
}

/** Runs pg_dump or pg_restore against `databaseUrl`; the password goes through the environment, not argv. */
export async function runPgTool(tool: PgTool, options: PgToolRun): Promise<void> {
  const { url, password } = splitPassword(options.databaseUrl);
  await run(
    tool,
    options.binDir,
    [...options.args, `--dbname=${url}`],
    password ? { PGPASSWORD: password } : {},
  );
}

/** The URL without its password (which `ps` would show to every user of the machine), and the password. */
export function splitPassword(databaseUrl: string): { url: string; password: string | null } {
  const parsed = new URL(databaseUrl);
  const password = parsed.password ? decodeURIComponent(parsed.password) : null;
  parsed.password = '';
  return { url: parsed.toString(), password };
}

function run(
  tool: PgTool,
  binDir: string | undefined,
  args: string[],
  env: Record<string, string>,
): Promise<{ stdout: string }> {
  const command = binDir ? join(binDir, tool) : tool;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      // Keep the end: the last lines say what went wrong.
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') return reject(error);
      reject(
        new AppError('BACKUP_FAILED', {
          reason: {
            zh: `找不到 ${command}。请安装 PostgreSQL 客户端工具（版本不低于数据库服务器），或用 GRIDGOV_PG_BIN_DIR 指向其目录`,
            en: `${command} was not found. Install the PostgreSQL client tools (no older than the server), or point GRIDGOV_PG_BIN_DIR at them`,
          },
        }),
      );
    });
    child.on('close', (code) => {
      if (code === 0) return resolve({ stdout });
      const detail = stderr.trim() || `exit code ${code}`;
      reject(
        new AppError('BACKUP_FAILED', {
          reason: { zh: `${tool} 失败：${detail}`, en: `${tool} failed: ${detail}` },
        }),
      );
    });
  });
}
