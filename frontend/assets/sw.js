// The service worker: an officer who opened the app once with a signal can open it again in a
// school without one, log sessions into the outbox, and have them sent when the signal returns.
//
// Network first, always: every GET of the app's own files, and of the few API reads the
// session form needs, goes to the server as usual. A copy of each good answer is kept and used
// only when the server cannot be reached, so a new release is picked up at the first load
// with a connection. Nothing else is kept: no session, no export, no report, no child's detail.
// Signing out deletes the API copies (`DATA` below, also named in frontend/src/api.rs).

const FILES = 'humiao-files-v1';
const DATA = 'humiao-data-v1';

// Who is signed in, and the reference lists the session form is filled from.
const DATA_KEPT = [
  '/api/health',
  '/api/v1/auth/me',
  '/api/v1/campaigns',
  '/api/v1/districts',
  '/api/v1/stations',
  '/api/v1/schools',
  '/api/v1/topics',
];

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

// Which cache keeps the answer to `url`, or null when it is never kept.
function cacheFor(url) {
  if (url.origin !== self.location.origin || url.pathname === '/sw.js') return null;
  if (url.pathname.startsWith('/api/')) {
    const kept = DATA_KEPT.some((p) => url.pathname === p || url.pathname.startsWith(p + '/'));
    return kept && !url.searchParams.has('format') ? DATA : null;
  }
  return url.pathname.startsWith('/report/') ? null : FILES;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const cacheName = request.method === 'GET' ? cacheFor(new URL(request.url)) : null;
  if (!cacheName) return;
  event.respondWith(
    fetch(request)
      .then((response) => {
        // The copy is taken now: once the page has read the body, it cannot be.
        const copy = response.ok ? response.clone() : null;
        // A refusal (a 401 once signed out, say) also drops the copy kept before.
        event.waitUntil(caches.open(cacheName).then((cache) =>
          copy ? cache.put(request, copy) : cache.delete(request)));
        return response;
      })
      .catch(async () => {
        const kept = await caches.match(request);
        if (kept) return kept;
        // A page of the app opened offline: the main module's page can show it.
        if (request.mode === 'navigate') {
          const page = await caches.match('/');
          if (page) return page;
        }
        return Response.error();
      }),
  );
});
