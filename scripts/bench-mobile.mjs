// The first-screen benchmarks of scripts/bench.sh: how soon a learner can
// read, act and watch, on the release build (DIST, default dist/) served
// compressed on 127.0.0.1, in headless Chromium, under two profiles:
//
// - desktop: 1280×720, no throttling;
// - slow phone: 390×844 with touch, and Lighthouse's mobile throttling
//   applied through the Chrome DevTools Protocol: 1.6 Mbps down, 750 kbps
//   up, 150 ms round trip (Network.emulateNetworkConditions), CPU 4× slower
//   (Emulation.setCPUThrottlingRate).
//
// Three times, each from navigation start, the median of RUNS loads:
// - text: the first step's title and narration are on screen (index.html's
//   static first step, or the app's if that came first);
// - next: the app's Next button is live (mounted and enabled); the run then
//   clicks it and checks that step 2 opens, so the figure is a working Next;
// - event: the step's events are drawn: the cluster picture is on screen and
//   the virtual clock has moved past 0 (the first step seeks to its pause
//   point at 0.05 s, with the broker's registration shown on the NameServer).
// Both profiles are timed with gzip (what a plain static host sends); the
// slow phone also with brotli. Also the first download's sizes (wasm, JS and
// CSS the first screen loads), gzip -9 and brotli 11, and Lighthouse's
// scores in its default mobile mode (npm lighthouse 12, the last line that
// runs on Node 20, driving Debian's Chromium; simulated throttling), the
// median of LIGHTHOUSE_RUNS runs of the gzip-served page, with the LCP element.
// RUNS=0 skips the timed loads (Lighthouse and sizes only).
//
// Prints one JSON line on stdout; never fails on a slow figure.
// Run: DIST=/tmp/dist node scripts/bench-mobile.mjs

import { createServer } from 'node:http';
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { launch as launchChrome } from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { DIST, TYPES, launchBrowser } from '../tests/e2e/support.mjs';

const RUNS = Number(process.env.RUNS ?? 3);
const LIGHTHOUSE_RUNS = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x) => Math.round(x);

const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.wasm', '.svg', '.json', '.webmanifest']);
const gz = (body) => gzipSync(body, { level: 9 });
const br = (body) =>
  brotliCompressSync(body, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length },
  });

/** Every compressible file under `dir`, by path. */
async function compressible(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await compressible(path)));
    else if (COMPRESSIBLE.has(extname(path))) out.push(path);
  }
  return out;
}

/**
 * Serves DIST with `encoding` ('gzip' or 'br'). Every file is compressed
 * before the first request, as a host with precompressed files would serve
 * it, so compressing never counts in a load.
 */
async function serve(encoding) {
  const cache = new Map();
  for (const file of await compressible(DIST)) {
    const body = await readFile(file);
    cache.set(`${encoding}:${file}`, encoding === 'br' ? br(body) : gz(body));
  }
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    const file = normalize(join(DIST, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(DIST + sep)) return response.writeHead(403).end();
    try {
      const ext = extname(file);
      const headers = { 'content-type': TYPES[ext] ?? 'application/octet-stream', 'cache-control': 'no-store' };
      let body = await readFile(file);
      if (COMPRESSIBLE.has(ext)) {
        const key = `${encoding}:${file}`;
        if (!cache.has(key)) cache.set(key, encoding === 'br' ? br(body) : gz(body));
        body = cache.get(key);
        headers['content-encoding'] = encoding;
      }
      response.writeHead(200, headers).end(body);
    } catch {
      response.writeHead(404).end('not found');
    }
  });
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((d) => server.close(d)) };
}

const PROFILES = {
  desktop: { viewport: { width: 1280, height: 720 }, throttle: null },
  phone: {
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 2,
    throttle: { latency: 150, down: (1.6 * 1024 * 1024) / 8, up: (750 * 1024) / 8, cpu: 4 },
  },
};

/** One load of `/` under `profile`: { text, next, event } in ms from navigation start. */
async function loadOnce(browser, url, profile) {
  const { throttle, ...options } = PROFILES[profile];
  const context = await browser.newContext({ locale: 'en-US', ...options, serviceWorkers: 'block' });
  const page = await context.newPage();
  if (throttle) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: throttle.latency,
      downloadThroughput: throttle.down,
      uploadThroughput: throttle.up,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle.cpu });
  }
  await page.addInitScript(() => {
    const marks = (window.__marks = {});
    const shown = (el) => el && el.getClientRects().length > 0 && el.textContent.trim() !== '';
    const tick = (now) => {
      const title = [...document.querySelectorAll('.tut-step-title')].find(shown);
      const para = [...document.querySelectorAll('.tut-para')].find(shown);
      if (marks.text === undefined && title && para) marks.text = now;
      const next = document.querySelector('#app .tut-next');
      if (marks.next === undefined && !document.getElementById('boot') && next && !next.disabled) marks.next = now;
      const drawn = document.querySelector('.cluster-svg .nodes g');
      const clock = document.querySelector('.sim-clock-value')?.textContent ?? '';
      if (marks.event === undefined && drawn && /[1-9]/.test(clock)) marks.event = now;
      if (marks.text === undefined || marks.next === undefined || marks.event === undefined) {
        requestAnimationFrame(tick);
      }
    };
    requestAnimationFrame(tick);
  });
  await page.goto(url + '/', { waitUntil: 'commit' });
  await page.waitForFunction(
    () => ['text', 'next', 'event'].every((k) => window.__marks?.[k] !== undefined),
    null,
    { timeout: 120_000, polling: 200 },
  );
  const marks = await page.evaluate(() => window.__marks);
  // The figure is a working Next: it opens step 2.
  await page.locator('#app .tut-next').first().click();
  await page.waitForFunction(() => /^1\.2 /.test(document.querySelector('.tut-step-title')?.textContent ?? ''), null, {
    timeout: 60_000,
  });
  await context.close();
  return marks;
}

/**
 * The first download: the wasm, JS and CSS that index.html names (stylesheets,
 * first.js, boot.js and the files it loads); not the service worker, the
 * update banner or the code lab, which load later if at all.
 */
async function firstDownload() {
  const html = await readFile(join(DIST, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:href|src|data-js|data-wasm)="?([^"\s>]+\.(?:wasm|js|css))/g)].map((m) => m[1]);
  const names = [...new Set(refs.map((r) => r.replace(/^\.?\//, '')))];
  let gzip = 0;
  let brotli = 0;
  for (const name of names) {
    const body = await readFile(join(DIST, name));
    gzip += gz(body).length;
    brotli += br(body).length;
  }
  return { files: names.length, gzip, brotli };
}

/** Lighthouse's four category scores (0–100) for `url`, median of LIGHTHOUSE_RUNS. */
async function lighthouseScores(url) {
  const runs = [];
  for (let i = 0; i < LIGHTHOUSE_RUNS; i++) {
    const chrome = await launchChrome({
      chromePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
    });
    try {
      const result = await lighthouse(url, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'],
      });
      const c = result.lhr.categories;
      const failing = Object.values(result.lhr.audits)
        .filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === 'binary')
        .map((a) => a.id);
      runs.push({
        performance: c.performance.score * 100,
        accessibility: c.accessibility.score * 100,
        best_practices: c['best-practices'].score * 100,
        seo: c.seo.score * 100,
        lcp_ms: result.lhr.audits['largest-contentful-paint'].numericValue,
        lcp_element: result.lhr.audits['largest-contentful-paint-element']?.details?.items?.[0]?.items?.[0]?.node?.selector ?? '',
        tbt_ms: result.lhr.audits['total-blocking-time'].numericValue,
        failing,
      });
    } finally {
      await chrome.kill();
    }
  }
  const pick = (k) => round(median(runs.map((r) => r[k])));
  const failing = [...new Set(runs.flatMap((r) => r.failing))];
  return {
    lh_performance: pick('performance'),
    lh_accessibility: pick('accessibility'),
    lh_best_practices: pick('best_practices'),
    lh_seo: pick('seo'),
    lh_lcp_ms: pick('lcp_ms'),
    lh_tbt_ms: pick('tbt_ms'),
    lh_failing: failing.join(' '),
    lh_lcp_element: [...new Set(runs.map((r) => r.lcp_element))].join(' | '),
  };
}

const browser = await launchBrowser();
const figures = {};
try {
  for (const [profile, encoding, key] of [
    ['desktop', 'gzip', 'desktop'],
    ['phone', 'gzip', 'phone'],
    ['phone', 'br', 'phone_br'],
  ]) {
    if (RUNS < 1) break;
    const server = await serve(encoding);
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await loadOnce(browser, server.url, profile));
    await server.close();
    for (const k of ['text', 'next', 'event']) figures[`${key}_${k}_ms`] = round(median(runs.map((r) => r[k])));
  }
} finally {
  await browser.close();
}
if (LIGHTHOUSE_RUNS > 0) {
  const server = await serve('gzip');
  try {
    Object.assign(figures, await lighthouseScores(server.url + '/'));
  } finally {
    await server.close();
  }
}
const download = await firstDownload();
figures.first_download_gz_kb = Math.round(download.gzip / 1024);
figures.first_download_br_kb = Math.round(download.brotli / 1024);
figures.first_download_gz_bytes = download.gzip;
figures.first_download_br_bytes = download.brotli;
console.log(JSON.stringify(figures));
