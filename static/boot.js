// Starts the app (see ARCHITECTURE.md, "Boot"): a file, not an inline script, for the CSP.
const tag = document.querySelector('script[data-wasm]');
globalThis.__rmqsimImport = (url) => import(url);
try {
  const { default: init } = await import(tag.dataset.js);
  globalThis.__rmqsimMemory = (await init({ module_or_path: tag.dataset.wasm }))?.memory;
} catch (error) {
  const note = document.getElementById('boot');
  if (note) {
    note.textContent =
      '模拟器无法启动,请使用较新的浏览器并重新加载。 · The simulator could not start; use a recent browser and reload.';
    note.classList.add('boot-failed');
  }
  console.error(error);
}
const sw = navigator.serviceWorker;
if (sw && location.protocol !== 'file:') {
  const offer = (w) => sw.controller && import('./update.js').then((m) => m.offer(w));
  const watch = (w) => w?.addEventListener('statechange', () => w.state === 'installed' && offer(w));
  sw.register(new URL('sw.js', document.baseURI)).then((r) => {
    if (r.waiting) offer(r.waiting);
    else watch(r.installing);
    r.addEventListener('updatefound', () => watch(r.installing));
  }).catch((e) => console.warn(e));
}
