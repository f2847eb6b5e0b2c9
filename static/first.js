// Runs before the first paint (a classic script in <head>; see ARCHITECTURE.md, "Boot").
// It picks the page's language by the app's rule (Lang::detect in src/i18n/mod.rs) so
// index.html's static first step shows in one language, and hides that step unless the
// app will open on it: not another mode, a share link, the embedded player, or a
// learner who has moved on (src/tutorial/progress.rs).
(function () {
  var lang = null, progress = null, root = document.documentElement;
  try {
    lang = localStorage.getItem('rocketmq-sim.lang');
    progress = localStorage.getItem('rocketmq-sim.tutorial');
  } catch (e) {}
  if (lang !== 'zh' && lang !== 'en') {
    var tag = navigator.language;
    lang = !tag ? 'zh' : /^zh([-_]|$)/i.test(tag) ? 'zh' : 'en';
  }
  root.lang = lang === 'zh' ? 'zh-CN' : 'en';
  var q = location.search, first = !progress || progress.split(';')[1] === 'setup-register';
  var plain = !first || /[?&](mode=(?!tutorial)|embed)/.test(q) || /^#s=/.test(location.hash);
  if (plain) root.classList.add('boot-plain');
  // CSS hides what is not shown until the page is parsed; then it goes, so the
  // page holds one copy of the step (the app, a module, mounts after this).
  document.addEventListener('DOMContentLoaded', function () {
    var hidden = document.querySelectorAll(plain ? '.boot-shell' : '.boot-shell [data-lang]');
    for (var i = 0; i < hidden.length; i++) {
      if (plain || hidden[i].getAttribute('data-lang') !== lang) hidden[i].remove();
    }
    var mine = document.querySelector('.boot-shell [data-boot-lang="' + lang + '"]');
    if (mine) mine.classList.add('is-active');
  });
})();
