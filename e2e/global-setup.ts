import { spawnSync } from 'node:child_process';
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
function buildWeb(): void {
  const sources = Math.max(
    newestMtime(join(repo, 'src/web')),
    newestMtime(join(repo, 'src/shared')),
    newestMtime(join(repo, 'vite.config.ts')),
  );
  if (builtAt() >= sources) return;
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  const result = spawnSync('npx', ['vite', 'build'], {
    cwd: repo,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (result.status !== 0) throw new Error(`vite build failed with status ${result.status}`);
}

/**
 * Builds the web when needed, then loads the demo town once into a template data directory that each file's
 * server starts on a copy of (see startServer). Files run one at a time, after this, and inherit its
 * environment.
 */
export default async function setup(): Promise<() => void> {
  buildWeb();
  const server = await startServer({ fresh: true, keepDataDir: true, timeoutMs: 600_000 });
  await server.stop();
  process.env[DEMO_TEMPLATE_ENV] = server.dataDir;
  return () => rmSync(server.dataDir, { recursive: true, force: true });
}
