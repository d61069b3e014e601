import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';

const TEMPLATE = new URL('./service-worker.js', import.meta.url);
const PLACEHOLDER = "const BUILD = { version: 'dev', assets: [] };";

/**
 * Writes /sw.js next to a production build: the hand-written worker with the build's file list and a
 * version derived from it, so every new build is a changed worker the browser installs (and the old
 * cache is dropped). Not used by the dev server, where main.tsx does not register a worker either.
 */
export function serviceWorker(): Plugin {
  return {
    name: 'gridgov-service-worker',
    apply: 'build',
    writeBundle(options, bundle) {
      const dir = options.dir ?? '';
      const assets = Object.keys(bundle)
        .filter((file) => file !== 'index.html' && !file.endsWith('.map'))
        .sort()
        .map((file) => `/${file}`);
      const version = createHash('sha256')
        .update(assets.join('\n'))
        .update(readFileSync(join(dir, 'index.html')))
        .digest('hex')
        .slice(0, 16);
      const template = readFileSync(TEMPLATE, 'utf8');
      if (!template.includes(PLACEHOLDER)) throw new Error(`service-worker.js lost its line ${PLACEHOLDER}`);
      writeFileSync(
        join(dir, 'sw.js'),
        template.replace(PLACEHOLDER, `const BUILD = ${JSON.stringify({ version, assets })};`),
      );
    },
  };
}
