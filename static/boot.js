// Starts the WebAssembly app. It lives in its own file (not inline in
// index.html) so the page's Content-Security-Policy can forbid inline scripts.
// Trunk writes the content-hashed file names into the data attributes of the
// <script> tag that loads this file (see pattern_script in Trunk.toml).
const tag = document.querySelector('script[data-wasm]');

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
