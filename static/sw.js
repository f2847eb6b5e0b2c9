// The simulator's service worker.
//
// It makes the page cross-origin isolated, which the code lab needs: each
// learner's program runs in its own Web Worker and waits for the simulated
// cluster with Atomics.wait on a SharedArrayBuffer, and browsers only allow
// SharedArrayBuffer on isolated pages. A static host (GitHub Pages, a plain
// file server) cannot be asked to send the two headers that isolate a page,
// so this worker adds them to every same-origin response it passes on:
//   Cross-Origin-Opener-Policy: same-origin
//   Cross-Origin-Embedder-Policy: require-corp
// Everything the app loads comes from its own origin, so nothing is blocked.
// The first visit is not isolated yet (the page was fetched before this
// worker existed); the code lab offers a reload, and every later visit is.

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (new URL(request.url).origin !== self.location.origin) return;
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(
    fetch(request).then((response) => {
      // Opaque and error responses pass through untouched.
      if (response.status === 0 || response.type === 'opaqueredirect') return response;
      const headers = new Headers(response.headers);
      headers.set('Cross-Origin-Opener-Policy', 'same-origin');
      headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
      headers.set('Cross-Origin-Resource-Policy', 'same-origin');
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    }),
  );
});
