// The service worker of the gridgov console (served as /sw.js, written by src/web/sw/plugin.ts at build).
// It keeps the app itself on the device so the field view opens without a network; the data a user works
// on never goes through its cache, and the field view keeps its own outbox in IndexedDB.

// Filled in by the build: a version that changes with every build and the files of that build.
const BUILD = { version: 'dev', assets: [] };

const SHELL_PREFIX = 'gridgov-shell-';
const SHELL = `${SHELL_PREFIX}${BUILD.version}`;
const REFERENCE = 'gridgov-reference';
// Shared reference data the field view needs offline (category tree, the extra fields of every minor class,
// region tree, UI settings). Nothing personal: answers naming people, cases or sessions are never stored.
const REFERENCE_PATHS = [
  '/api/v1/config',
  '/api/v1/categories',
  '/api/v1/categories/attributes',
  '/api/v1/regions/tree',
];

const isReference = (path) => REFERENCE_PATHS.includes(path);

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.addAll(['/index.html', ...BUILD.assets]))
      // A new build takes over at once: its index.html names only its own files, which are all cached now.
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith(SHELL_PREFIX) && key !== SHELL)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

/** Network first, so a new build or fresh data wins; the cache only when the network does not answer. */
async function networkFirst(request, cacheName, fallbackUrl) {
  try {
    const response = await fetch(request);
    if (cacheName && response.ok) {
      const copy = response.clone();
      await caches.open(cacheName).then((cache) => cache.put(request, copy));
    }
    return response;
  } catch (error) {
    const cached = await caches.match(fallbackUrl ?? request);
    if (cached) return cached;
    throw error;
  }
}

/** Hashed build files never change under their name: the cached copy is the right one. */
async function cacheFirst(request) {
  const cached = await caches.match(request);
  return cached ?? fetch(request);
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/')) {
    // Everything else under /api goes to the network untouched and is never stored.
    if (isReference(url.pathname)) event.respondWith(networkFirst(request, REFERENCE));
    return;
  }
  if (request.mode === 'navigate') {
    // Every console route is the single-page app's index.html.
    event.respondWith(networkFirst(request, null, '/index.html'));
    return;
  }
  if (BUILD.assets.includes(url.pathname)) event.respondWith(cacheFirst(request));
});
