// The simulator's service worker (see ARCHITECTURE.md, "Boot").
//
// 1. Cross-origin isolation. The code lab runs each learner's program in its
// own Web Worker, which waits for the simulated cluster with Atomics.wait on
// a SharedArrayBuffer, and browsers only allow SharedArrayBuffer on isolated
// pages. A static host (GitHub Pages, a plain file server) cannot be asked to
// send the two headers that isolate a page, so this worker adds them to every
// same-origin response it passes on, from the network or from its cache:
//   Cross-Origin-Opener-Policy: same-origin
//   Cross-Origin-Embedder-Policy: require-corp
// Everything the app loads comes from its own origin, so nothing is blocked.
// The first visit is not isolated yet (the page was fetched before this
// worker existed); the code lab offers a reload, and every later visit is.
//
// 2. Offline. A release build's post_build hook (scripts/build-extras.sh)
// fills in BUILD (a hash of every file of the build) and SHELL (the app
// shell: the page, boot.js, the content-hashed JS, wasm and CSS, the icons,
// the manifest, challenges.json), so every build has a different sw.js and
// the browser installs it as a new worker. On install the worker caches the
// shell in a cache of its own build; the code lab's files (lab/, 1.8 MB)
// join that cache the first time the lab fetches them. It answers from its
// cache first and the network only for what the cache lacks, so a page is
// always one build. A new worker waits until the page asks it to take over
// (the "new version" banner, static/update.js), then removes the older
// builds' caches. Debug builds (`trunk serve`) leave SHELL empty: then the
// worker caches nothing and only adds the headers.

const BUILD = 'dev';
const SHELL = [];

const CACHE = `rmqsim-${BUILD}`;
const PAGE = new URL('./', self.location).href;
const caching = SHELL.length > 0;

self.addEventListener('install', (event) => {
  if (!caching) {
    self.skipWaiting();
    return;
  }
  // `reload`: straight from the network, past the HTTP cache, so the shell
  // is this build's even where a host lets browsers keep boot.js a while.
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      Promise.all(
        SHELL.map(async (path) => {
          const url = new URL(path, self.location).href;
          const response = await fetch(new Request(url, { cache: 'reload' }));
          if (!response.ok) throw new Error(`sw.js: ${url}: HTTP ${response.status}`);
          await cache.put(url, await plain(response));
        }),
      ),
    ),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('rmqsim-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.cache === 'only-if-cached' && request.mode !== 'same-origin') return;
  event.respondWith(answer(request, url).then(isolate));
});

/** From this build's cache if it is there, else from the network (the lab's files are kept). */
async function answer(request, url) {
  if (!caching || request.method !== 'GET') return fetch(request);
  const cache = await caches.open(CACHE);
  // Opening the app (any query or fragment: `?mode=…`, `?embed=…`, `#s=…`) is the cached page.
  const page = request.mode === 'navigate' && (url.href.split(/[?#]/)[0] === PAGE || url.pathname === new URL('index.html', PAGE).pathname);
  const key = page ? PAGE : url.href;
  const cached = await cache.match(key, { ignoreSearch: page });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic' && url.href.startsWith(new URL('lab/', PAGE).href)) {
    await cache.put(url.href, await plain(response.clone()));
  }
  return response;
}

/** A copy that a navigation may use (a redirected response may not answer one). */
async function plain(response) {
  if (!response.redirected) return response;
  return new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** The response with the headers that isolate the page; opaque and error responses pass untouched. */
function isolate(response) {
  if (response.status === 0 || response.type === 'opaqueredirect') return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
