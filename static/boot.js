// Starts the WebAssembly app. It lives in its own file (not inline in
// index.html) so the page's Content-Security-Policy can forbid inline scripts.
// Trunk writes the content-hashed file names into the data attributes of the
// <script> tag that loads this file (see pattern_script in Trunk.toml).
const tag = document.querySelector('script[data-wasm]');

// The code lab imports its runtime on its first run, never before. The
// page's CSP forbids building code from strings, so the app (Rust) calls
// this loader rather than an `import()` of its own.
globalThis.__rmqsimImport = (url) => import(url);

try {
  const { default: init } = await import(tag.dataset.js);
  const wasm = await init({ module_or_path: tag.dataset.wasm });
  // Read by the memory test (tests/e2e/reliability.test.mjs): the wasm heap's size.
  globalThis.__rmqsimMemory = wasm?.memory;
} catch (error) {
  // The app could not even start (old browser, blocked or missing file), so
  // the Rust panic panel is not available: say so in both languages.
  const note = document.getElementById('boot');
  if (note) {
    note.textContent =
      '模拟器无法启动,请使用较新的浏览器并重新加载。 · The simulator could not start; use a recent browser and reload.';
    note.classList.add('boot-failed');
  }
  console.error(error);
}

// The service worker that makes later visits cross-origin isolated (the code
// lab's workers need it; see sw.js). Registered after the app started, so it
// never competes with the first screen's download. Relative, so a build served
// from a sub-path registers its own.
if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  navigator.serviceWorker.register(new URL('sw.js', document.baseURI)).catch((error) => {
    console.warn('service worker not registered:', error);
  });
}
