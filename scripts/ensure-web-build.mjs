// Builds the web console when dist/web is missing or older than its sources, so `npm start` on a fresh
// clone serves the UI without a separate build step, and a restart does not rebuild for nothing.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const built = join(root, 'dist', 'web', 'index.html');

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const sources = Math.max(
  newest(join(root, 'src', 'web')),
  newest(join(root, 'src', 'shared')),
  statSync(join(root, 'vite.config.ts')).mtimeMs,
);
if (!existsSync(built) || statSync(built).mtimeMs < sources) {
  console.log('Building the web console (first start or changed sources)…');
  execSync('npx vite build --logLevel warn', { cwd: root, stdio: 'inherit' });
}
