// Shared by the end-to-end journeys: serves the release build in dist/ on a
// free loopback port and launches Debian's Chromium through playwright-core.
// No test here touches the network beyond 127.0.0.1.

import { createServer } from 'node:http';
import { after, before } from 'node:test';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const DIST = resolve(process.env.DIST ?? join(ROOT, 'dist'));
export const SCREENSHOTS = join(ROOT, 'tests', 'e2e', 'screenshots');

/** The content type of each file extension the build holds (shared with scripts/bench-mobile.mjs). */
export const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
  '.webmanifest': 'application/manifest+json',
};

/**
 * Serves DIST on 127.0.0.1 at a free port; resolves to { url, close, replace, misses }.
 * `isolated` adds the COOP/COEP headers that make the page cross-origin
 * isolated, so its clock (`performance.now()`, rAF timestamps) ticks in 5 µs
 * instead of 100 µs with random jitter (the frame benchmark needs that).
 * `base` serves the build under a sub-path, as a static host may
 * ('/rocketmq-sim/': `url` then ends in '/rocketmq-sim', so `url + '/?…'` is
 * the app); anything outside it is a 404, recorded in `misses`.
 * `replace(path, body)` serves `body` for the build's file `path` (e.g.
 * 'sw.js') from then on, as a new build would; `replace(path)` undoes it.
 */
export async function serveDist({ isolated = false, base = '/' } = {}) {
  const isolation = isolated
    ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }
    : {};
  if (!base.startsWith('/') || !base.endsWith('/')) throw new Error(`serveDist: base ${base} must start and end with /`);
  await stat(join(DIST, 'index.html')).catch(() => {
    throw new Error(`no build in ${DIST}: run \`trunk build --release --offline\` first`);
  });
  const replaced = new Map();
  const misses = [];
  const server = createServer(async (request, response) => {
    const full = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    if (full === base.slice(0, -1) && base !== '/') {
      response.writeHead(301, { location: base }).end();
      return;
    }
    if (!full.startsWith(base)) {
      misses.push(full);
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const path = full.slice(base.length - 1);
    const file = normalize(join(DIST, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(DIST + sep)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const name = file.slice(DIST.length + 1).split(sep).join('/');
      const body = replaced.has(name) ? replaced.get(name) : await readFile(file);
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store', ...isolation });
      response.end(body);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${base.slice(0, -1)}`,
    misses,
    replace: (path, body) => (body === undefined ? replaced.delete(path) : replaced.set(path, body)),
    close: () => new Promise((done) => server.close(done)),
  };
}

/** Debian's Chromium, headless, with nothing that phones home. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * One served build and one browser for a test file: registers node:test's
 * `before` (serve DIST, launch Chromium) and `after` (close both), and
 * returns an object whose `server` and `browser` are set once `before` ran.
 */
export function servedApp(options) {
  const app = { server: undefined, browser: undefined };
  before(async () => {
    app.server = await serveDist(options);
    app.browser = await launchBrowser();
  });
  after(async () => {
    await app.browser?.close();
    await app.server?.close();
  });
  return app;
}

/**
 * Opens `path` of the served app in a fresh 1280×720 context with the given
 * browser language; returns the page and a live list of console errors and
 * uncaught exceptions (CSP violations show up there too).
 */
export async function openApp(browser, server, { locale = 'en-US', path = '/' } = {}) {
  const context = await browser.newContext({ locale, viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`exception: ${error.message}`));
  await page.goto(server.url + path);
  return { context, page, problems };
}

/** Saves a full-page screenshot under tests/e2e/screenshots (git-ignored). */
export function screenshot(page, name) {
  return page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Milliseconds in a time such as "41.000 s", "1m 45.400s" (clock) or "1 min 45.4 s" (narration). */
export function parseMs(text) {
  let ms = 0;
  for (const [, value, unit] of text.matchAll(/(\d+(?:\.\d+)?)\s*(h|min|m|s)\b/g)) {
    ms += Number(value) * { h: 3_600_000, min: 60_000, m: 60_000, s: 1000 }[unit];
  }
  return Math.round(ms);
}

/** The virtual clock on screen, in milliseconds. */
export const clockMs = async (page) => parseMs(await page.locator('.sim-clock-value').textContent());

/**
 * Waits until the tutorial step on screen has settled: either its question
 * holds the run (the hold note is shown), or the clock stands at the pause
 * point its narration names and no seek is running. Returns the clock then.
 */
export async function settled(page) {
  await page.waitForFunction(() => {
    const parse = (text) => {
      let ms = 0;
      for (const [, v, u] of text.matchAll(/(\d+(?:\.\d+)?)\s*(h|min|m|s)\b/g)) {
        ms += Number(v) * { h: 3_600_000, min: 60_000, m: 60_000, s: 1000 }[u];
      }
      return Math.round(ms);
    };
    if (document.querySelector('.tb-stop')) return false;
    if (document.querySelector('.guide-hold')) return true;
    const pause = document.querySelector('.tut-pause')?.textContent ?? '';
    const clock = document.querySelector('.sim-clock-value')?.textContent ?? '';
    return pause !== '' && parse(pause.split(/[:：]/).slice(1).join(':')) === parse(clock);
  });
  return clockMs(page);
}

/**
 * Waits until tutorial step `n` is on screen and settled: no seek running,
 * and either its question holds the run ('waiting') or the narration check
 * has a verdict at the pause point. Returns that verdict.
 */
export async function stepSettled(page, n) {
  const handle = await page.waitForFunction(
    (n) => {
      const count = document.querySelector('.tut-counter')?.textContent?.match(/\d+/)?.[0];
      if (Number(count) !== n || document.querySelector('.tb-stop')) return false;
      if (document.querySelector('.guide-hold')) return 'waiting';
      const check = document.querySelector('.tut-check')?.dataset.check;
      return check === 'holds' || check === 'differs' ? check : false;
    },
    n,
    { timeout: 30_000 },
  );
  return handle.jsonValue();
}
