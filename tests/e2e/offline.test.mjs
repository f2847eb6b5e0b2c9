// Offline after the first visit, and a new build that replaces the cached one
// (static/sw.js, static/update.js). A learner opens the app once; its service
// worker caches the app shell the build listed in sw.js; with the network off
// the page reloads from that cache and the tutorial walks on. Then a new build
// is deployed (a changed sw.js): the next visit still runs the cached build
// and offers "A new version is available"; the Reload button lets the new
// worker in and the page comes back under it, with the old cache gone. The
// banner is photographed in English and Chinese at 1280×800 and 390×844.
// Each test has its own server and browser context, so no cache is shared.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DIST, SCREENSHOTS, launchBrowser, openApp, serveDist } from './support.mjs';

let browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

/** What the window shows (the banner is fixed to it), under tests/e2e/screenshots. */
const shot = (page, name) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });

/** The build id and shell list that the build wrote into dist/sw.js. */
async function builtWorker() {
  const source = await readFile(join(DIST, 'sw.js'), 'utf8');
  const build = source.match(/^const BUILD = '([0-9a-f]{16})';$/m)?.[1];
  const shell = JSON.parse(source.match(/^const SHELL = (\[.*\]);$/m)?.[1] ?? '[]');
  assert.ok(build, 'a release build fills in its build id');
  return { source, build, shell };
}

/** Waits for an active worker that controls the page; returns the caches and this build's cached URLs. */
async function workerReady(page) {
  return page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((done) => navigator.serviceWorker.addEventListener('controllerchange', done, { once: true }));
    }
    const names = await caches.keys();
    const urls = {};
    for (const name of names) urls[name] = (await (await caches.open(name)).keys()).map((r) => r.url);
    return { names, urls };
  });
}

test('after one visit the app opens and the tutorial walks on with the network off', async () => {
  const server = await serveDist();
  const { build, shell } = await builtWorker();
  const { context, page, problems } = await openApp(browser, server, { locale: 'en-US' });
  await page.getByRole('heading', { name: '1.1 One NameServer, one broker' }).waitFor();

  // Everything the page itself loads is in the shell the build listed.
  const index = await readFile(join(DIST, 'index.html'), 'utf8');
  // (The release build's HTML is minified: attribute values may have no quotes.)
  const referenced = [...index.matchAll(/(?:href|src|data-js|data-wasm)=["']?\.\/([^"' >]+)/g)].map((m) => m[1]);
  assert.ok(referenced.some((f) => f.endsWith('.wasm')) && referenced.includes('boot.js'), `index.html's files: ${referenced}`);
  for (const name of [...referenced, 'boot.js', 'update.js', 'update.css', 'challenges.json', 'manifest.webmanifest', 'icons/icon-512.png']) {
    assert.ok(shell.includes(name), `${name} is in sw.js's shell ${JSON.stringify(shell)}`);
  }
  assert.ok(shell.includes('./'), 'the page itself');
  assert.ok(shell.some((f) => f.endsWith('.wasm')) && shell.some((f) => /-[0-9a-f]{16}\.js$/.test(f)), 'the hashed JS and wasm');
  assert.ok(!shell.some((f) => f.startsWith('lab/')), 'the lab is cached on first use, not on install');

  // The worker is active and has cached exactly that shell, in its build's cache.
  const { names, urls } = await workerReady(page);
  assert.deepEqual(names, [`rmqsim-${build}`]);
  const expected = shell.map((f) => new URL(f, `${server.url}/`).href).sort();
  assert.deepEqual(urls[`rmqsim-${build}`].sort(), expected);

  // Chromium reads the manifest without errors and finds nothing against installing
  // the app but the test's own context (a fresh context is incognito-like).
  const cdp = await context.newCDPSession(page);
  const { url: manifestUrl, errors } = await cdp.send('Page.getAppManifest');
  assert.equal(manifestUrl, `${server.url}/manifest.webmanifest`);
  assert.deepEqual(errors, []);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  assert.deepEqual(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito'), []);
  await cdp.detach();

  // Network off: the reload comes from the cache, isolated, and the tutorial goes on.
  await context.setOffline(true);
  await page.reload();
  await page.getByRole('heading', { name: '1.1 One NameServer, one broker' }).waitFor();
  assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'COOP/COEP on the cached page too');
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await page.getByRole('heading', { name: '1.2 Registering again every 30 s' }).waitFor();

  // Installable offline: the manifest and every icon it names come from the cache.
  const manifest = await page.evaluate(async () => {
    const href = document.querySelector('link[rel="manifest"]').href;
    const doc = await (await fetch(href)).json();
    const icons = await Promise.all(doc.icons.map(async (i) => {
      const r = await fetch(new URL(i.src, href));
      return { src: i.src, purpose: i.purpose, ok: r.ok, type: r.headers.get('content-type') };
    }));
    return { name: doc.name, en: doc.translations?.en?.name, icons };
  });
  assert.equal(manifest.name, 'RocketMQ 模拟器 · RocketMQ Simulator');
  assert.equal(manifest.en, 'RocketMQ Simulator');
  assert.deepEqual(manifest.icons.filter((i) => !i.ok), [], 'every icon loads offline');
  assert.ok(manifest.icons.some((i) => i.purpose === 'maskable' && i.type === 'image/png'), 'a maskable PNG');

  // Playground and challenges too (challenges.json is in the shell).
  await page.goto(`${server.url}/?mode=challenges`);
  await page.getByRole('complementary', { name: 'Challenges' }).getByText(/of 17 solved/).waitFor();

  assert.deepEqual(problems, []);
  await context.close();
  await server.close();
});

test('a new build waits, the page offers to reload, and the reload brings the new build', async () => {
  const server = await serveDist();
  const { source, build } = await builtWorker();
  const { context, page, problems } = await openApp(browser, server, { locale: 'en-US' });
  await page.getByRole('heading', { name: '1.1 One NameServer, one broker' }).waitFor();
  assert.deepEqual((await workerReady(page)).names, [`rmqsim-${build}`]);
  assert.equal(await page.locator('#update-banner').count(), 0, 'no banner on a first visit');

  // Deploy a "new build": only sw.js changes (a new id), byte for byte a new worker.
  const next = build.split('').reverse().join('');
  server.replace('sw.js', source.replace(`const BUILD = '${build}';`, `const BUILD = '${next}';`));
  await page.reload();
  const banner = page.getByRole('status').filter({ hasText: 'A new version is available.' });
  await banner.waitFor();
  const reload = banner.getByRole('button', { name: 'Reload', exact: true });
  assert.ok(await reload.isVisible());
  assert.ok(await banner.getByRole('button', { name: 'Later', exact: true }).isVisible());
  // Until then the page runs the old build; the new worker waits with its own cache ready.
  const waiting = await page.evaluate(async () => {
    const r = await navigator.serviceWorker.getRegistration();
    return { waiting: r.waiting?.state, caches: (await caches.keys()).sort() };
  });
  assert.deepEqual(waiting, { waiting: 'installed', caches: [`rmqsim-${build}`, `rmqsim-${next}`].sort() });

  // The banner in both languages, on a desktop and a phone.
  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(viewport);
    await shot(page, `update-banner-en-${viewport.width}x${viewport.height}`);
  }
  await page.getByRole('button', { name: '中文' }).click();
  const zh = page.getByRole('status').filter({ hasText: '有新版本可用。' });
  await zh.getByRole('button', { name: '重新加载', exact: true }).waitFor();
  assert.equal(await zh.getAttribute('lang'), 'zh-CN');
  for (const viewport of [{ width: 1280, height: 800 }, { width: 390, height: 844 }]) {
    await page.setViewportSize(viewport);
    await shot(page, `update-banner-zh-${viewport.width}x${viewport.height}`);
  }

  // Reload: the new worker takes over, the page reloads under it, the old cache is gone.
  await Promise.all([page.waitForEvent('load'), zh.getByRole('button', { name: '重新加载', exact: true }).click()]);
  await page.locator('.tut-step-title').waitFor();
  const after = await page.evaluate(async () => {
    const r = await navigator.serviceWorker.getRegistration();
    return {
      waiting: r.waiting,
      controlled: navigator.serviceWorker.controller?.state,
      caches: await caches.keys(),
      banner: document.getElementById('update-banner') !== null,
    };
  });
  assert.deepEqual(after, { waiting: null, controlled: 'activated', caches: [`rmqsim-${next}`], banner: false });

  assert.deepEqual(problems, []);
  await context.close();
  await server.close();
});
