import { spawn } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_TEMPLATE_ENV, startServer } from './harness.ts';

const repo = fileURLToPath(new URL('..', import.meta.url));

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry.endsWith('.test.ts')) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

function builtAt(): number {
  try {
    return statSync(join(repo, 'dist/web/index.html')).mtimeMs;
  } catch {
    return 0;
  }
}

/** The server serves dist/web: build it when it is missing or older than the web sources. */
async function buildWeb(): Promise<void> {
  const sources = Math.max(
    newestMtime(join(repo, 'src/web')),
    newestMtime(join(repo, 'src/shared')),
    newestMtime(join(repo, 'vite.config.ts')),
  );
  if (builtAt() >= sources) return;
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  const build = spawn('npx', ['vite', 'build', '--logLevel', 'warn'], {
    cwd: repo,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const status = await new Promise<number | null>((resolve) => build.once('exit', resolve));
  if (status !== 0) throw new Error(`vite build failed with status ${status}`);
}

/**
 * Builds the web when needed while it loads the demo town once into a template data directory that each file's
 * server starts on a copy of (see startServer). The files run after this, two at a time, and inherit its
 * environment.
 */
export default async function setup(): Promise<() => void> {
  // Neither needs the other (the template's server serves no page): on two cores they run side by side.
  const [started, built] = await Promise.allSettled([
    startServer({ fresh: true, keepDataDir: true, timeoutMs: 600_000 }),
    buildWeb(),
  ]);
  if (started.status === 'rejected') throw started.reason;
  const server = started.value;
  await server.stop();
  if (built.status === 'rejected') {
    rmSync(server.dataDir, { recursive: true, force: true });
    throw built.reason;
  }
  process.env[DEMO_TEMPLATE_ENV] = server.dataDir;
  return () => rmSync(server.dataDir, { recursive: true, force: true });
}
