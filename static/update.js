// The "new version" banner (see ARCHITECTURE.md, "Boot"): boot.js imports
// this module only when a new build's service worker (static/sw.js) has
// installed and waits while this page runs the old one. The button tells the
// new worker to take over and reloads the page once it has, so a page never
// mixes two builds; "Later" hides the banner (the next visit asks again).

const TEXT = {
  zh: { note: '有新版本可用。', reload: '重新加载', later: '稍后' },
  en: { note: 'A new version is available.', reload: 'Reload', later: 'Later' },
};

export function offer(worker) {
  if (document.getElementById('update-banner')) return;
  const css = document.createElement('link');
  css.rel = 'stylesheet';
  css.href = new URL('update.css', import.meta.url).href;
  document.head.append(css);

  const bar = document.createElement('div');
  bar.id = 'update-banner';
  bar.className = 'update-banner';
  bar.setAttribute('role', 'status');
  const note = document.createElement('span');
  note.className = 'update-note';
  const reload = document.createElement('button');
  reload.type = 'button';
  reload.className = 'update-reload';
  const later = document.createElement('button');
  later.type = 'button';
  later.className = 'update-later';

  // Written in the page's language, and again when the learner switches it.
  const fill = () => {
    const lang = document.documentElement.lang.startsWith('en') ? 'en' : 'zh';
    const t = TEXT[lang];
    bar.lang = lang === 'en' ? 'en' : 'zh-CN';
    note.textContent = t.note;
    reload.textContent = t.reload;
    later.textContent = t.later;
    if (!bar.firstChild) bar.append(note, reload, later);
  };
  const watch = new MutationObserver(fill);
  watch.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });

  reload.addEventListener('click', () => {
    reload.disabled = true;
    // Another tab of the app may have let the new worker in already.
    if (worker.state === 'activated') location.reload();
    navigator.serviceWorker.addEventListener('controllerchange', () => location.reload());
    worker.postMessage('skip-waiting');
  });
  later.addEventListener('click', () => {
    watch.disconnect();
    bar.remove();
  });
  // A live region announces what is written into it after it is on the page:
  // the banner goes in empty (and unseen) and gets its words a moment later.
  document.body.append(bar);
  setTimeout(fill, 100);
}
