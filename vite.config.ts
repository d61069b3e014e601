import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './src/web/build/precompress.ts';
import { serviceWorker } from './src/web/sw/plugin.ts';

const webRoot = fileURLToPath(new URL('./src/web', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/web', import.meta.url));
// `npm run dev` proxies the API to a server started with `npm start` (port 3000 unless told otherwise).
const apiTarget = process.env.GRIDGOV_API_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [react(), serviceWorker(), precompress()],
  build: {
    outDir,
    emptyOutDir: true,
    // maplibre-gl alone is about 1 MB minified; it is loaded only by the map pages.
    chunkSizeWarningLimit: 1600,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': {
        target: apiTarget,
        changeOrigin: false,
        // src/web/api/*.ts are source modules the dev server must serve itself, not API routes.
        bypass: (request) => {
          const path = (request.url ?? '').split('?')[0] ?? '';
          return existsSync(join(webRoot, path)) ? request.url : undefined;
        },
      },
    },
  },
  preview: { port: 4173 },
});
