// The code lab's benchmarks (scripts/bench.sh), in headless Chromium on the
// release build (DIST, default dist/), served like any static host (no
// special headers): the first visit registers the service worker, a reload
// makes the page cross-origin isolated, as a learner's second visit is.
//
// - cold: a fresh browser context (nothing cached), the lab open, Run
//   pressed → the Python runtime fetched and started (the status line says
//   "Running"), → the tutorial's producer.py and consumer.py run to the
//   1-minute horizon (the run is recorded), → the first event drawn (the
//   events feed's first row of the loaded run);
// - warm: in the same page, Run again → recorded (the runtime is cached),
//   median of 3: the time to run the two programs to a 1-minute horizon.
//
// Prints one JSON line on stdout; never fails on a slow figure.

import { launchBrowser, serveDist } from '../tests/e2e/support.mjs';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = await serveDist();
const browser = await launchBrowser();
try {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(server.url + '/?mode=lab');
  await page.waitForSelector('.lab-panel');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.waitForSelector('.lab-run:not([disabled])');
  const isolated = await page.evaluate(() => crossOriginIsolated);
  // Stamp the moments in the page, so the figures do not include Playwright's polling.
  await page.evaluate(() => {
    window.__lab = {};
    new MutationObserver(() => {
      const now = performance.now();
      const status = document.querySelector('.lab-status')?.textContent ?? '';
      if (!window.__lab.running && /Running/.test(status)) window.__lab.running = now;
      if (!window.__lab.done && document.querySelector('.lab-status.is-done')) window.__lab.done = now;
      if (window.__lab.done && !window.__lab.drawn && document.querySelector('.feed-list > li')) window.__lab.drawn = now;
    }).observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
  });
  const start = await page.evaluate(() => performance.now());
  await page.locator('.lab-run').click();
  await page.waitForFunction(() => window.__lab.done && window.__lab.drawn, null, { timeout: 120_000 });
  const cold = await page.evaluate(() => window.__lab);
  const warm = [];
  for (let i = 0; i < 3; i++) {
    await page.evaluate(() => { window.__lab = {}; });
    const t0 = await page.evaluate(() => performance.now());
    await page.locator('.lab-run').click();
    await page.waitForFunction(() => window.__lab.done, null, { timeout: 120_000 });
    warm.push((await page.evaluate(() => window.__lab.done)) - t0);
  }
  const round = (x) => Math.round(x * 10) / 10;
  console.log(JSON.stringify({
    isolated,
    lab_runtime_ms: round(cold.running - start),
    lab_cold_run_ms: round(cold.done - start),
    lab_first_event_ms: round(cold.drawn - start),
    lab_warm_run_ms: round(median(warm)),
  }));
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
