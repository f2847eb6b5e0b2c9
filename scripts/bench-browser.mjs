// The page benchmarks of scripts/bench.sh, in headless Chromium on the
// release build (DIST, default dist/) served on 127.0.0.1:
//
// - load: navigation start → the first packet drawn in the cluster view, on
//   `?mode=playground&debug=flights` (it plays by itself at once; the
//   tutorial and the playground open paused), best and median of 3 loads;
//   also navigation → the cluster drawn on the tutorial's first page;
// - frames: `?mode=playground&debug=flights` plays the frame benchmark's
//   cluster (rmqsim::bench::flights_workload, ~1,100 messages in flight) at
//   1,000×; once packets are on the wire, requestAnimationFrame intervals are
//   recorded for 10 s → p50 / p95 / p99, and the share of frames that
//   missed their vsync (an interval over 1.5 × the median). The page is
//   served cross-origin isolated (COOP/COEP): otherwise Chromium coarsens
//   its clock to 100 µs and adds random jitter, which alone turns on-time
//   16.67 ms intervals into 16.6–16.8 ms readings (loads are timed on the
//   plain page);
// - render: paused on that busy screen, one full re-render of the whole
//   screen (switching the language), timed from the click to the last DOM
//   mutation it caused, median of 5.
//
// Prints one JSON line (the figures) on stdout; never fails on a slow figure.
// Run: DIST=/tmp/dist node scripts/bench-browser.mjs

import { launchBrowser, serveDist } from '../tests/e2e/support.mjs';

const FRAME_SECONDS = Number(process.env.FRAME_SECONDS ?? 10);

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function newPage(browser) {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  return { context, page };
}

/** Navigation start → first `selector` on `path`, in ms. */
async function loadOnce(browser, server, path, selector) {
  const { context, page } = await newPage(browser);
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.querySelector(window.__selector)) {
        window.__firstPacket = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.addInitScript((s) => {
    window.__selector = s;
  }, selector);
  await page.goto(server.url + path);
  await page.waitForFunction(() => window.__firstPacket !== undefined, null, { timeout: 30_000 });
  const ms = await page.evaluate(() => window.__firstPacket);
  await context.close();
  return ms;
}

/** rAF intervals over FRAME_SECONDS with the flights cluster playing at 1,000×. */
async function frames(page, server) {
  await page.goto(server.url + '/?mode=playground&debug=flights');
  // Virtual time starts sending at 5 s; wait until the wire is busy.
  // Dense traffic is painted on a canvas that says how many packets it holds.
  await page.waitForFunction(
    () =>
      document.querySelectorAll('.cluster-svg .packets .packet').length +
        Number(document.querySelector('.packet-canvas')?.dataset.packets ?? 0) >=
      300,
    null,
    {
    timeout: 60_000,
  });
  return page.evaluate(
    (seconds) =>
      new Promise((done) => {
        const gaps = [];
        let packets = 0;
        let samples = 0;
        let last = performance.now();
        const end = last + seconds * 1000;
        const tick = (t) => {
          gaps.push(t - last);
          last = t;
          packets +=
            document.querySelectorAll('.cluster-svg .packets .packet').length +
            Number(document.querySelector('.packet-canvas')?.dataset.packets ?? 0);
          samples += 1;
          if (t < end) requestAnimationFrame(tick);
          else
            done({
              gaps,
              isolated: crossOriginIsolated,
              packets: packets / samples,
              // The time bar says so when the engine cannot keep up.
              behind: !!document.querySelector('.scrub-status-text.is-warning'),
            });
        };
        requestAnimationFrame((t) => {
          last = t;
          requestAnimationFrame(tick);
        });
      }),
    FRAME_SECONDS,
  );
}

/** One full re-render (language switch) of the paused busy screen, in ms. */
async function fullRender(page) {
  await page.getByRole('button', { name: /^(Pause|暂停)$/ }).first().click();
  const times = [];
  for (let i = 0; i < 5; i++) {
    await page.waitForTimeout(300);
    const ms = await page.evaluate(
      () =>
        new Promise((done) => {
          let lastMutation = 0;
          const observer = new MutationObserver(() => {
            lastMutation = performance.now();
          });
          observer.observe(document.body, { childList: true, subtree: true, characterData: true, attributes: true });
          const buttons = [...document.querySelectorAll('.lang-switch button')];
          const button = buttons.find((b) => b.getAttribute('aria-pressed') !== 'true');
          const start = performance.now();
          button.click();
          setTimeout(() => {
            observer.disconnect();
            done(lastMutation ? lastMutation - start : -1);
          }, 1000);
        }),
    );
    times.push(ms);
  }
  return times;
}

const server = await serveDist();
// Frames and the render are timed on a cross-origin isolated page (see above);
// loads on the plain one, as a learner opens the app.
const isolated = await serveDist({ isolated: true });
const browser = await launchBrowser();
try {
  const loads = [];
  const mounts = [];
  for (let i = 0; i < 3; i++) {
    loads.push(await loadOnce(browser, server, '/?mode=playground&debug=flights', '.cluster-svg .packets .packet, .packet-canvas:not([data-packets="0"])'));
    mounts.push(await loadOnce(browser, server, '/', '.cluster-svg .nodes g'));
  }
  const { context, page } = await newPage(browser);
  const f = await frames(page, isolated);
  const gaps = f.gaps.slice(1).sort((a, b) => a - b);
  const renders = await fullRender(page);
  await context.close();
  const round = (x) => Math.round(x * 10) / 10;
  console.log(
    JSON.stringify({
      load_ms: round(Math.min(...loads)),
      load_median_ms: round(median(loads)),
      mount_ms: round(Math.min(...mounts)),
      frames: gaps.length,
      frame_p50_ms: round(quantile(gaps, 0.5)),
      frame_p95_ms: round(quantile(gaps, 0.95)),
      frame_p99_ms: round(quantile(gaps, 0.99)),
      frames_missed_pct: round((100 * gaps.filter((g) => g > 1.5 * quantile(gaps, 0.5)).length) / gaps.length),
      clock_isolated: f.isolated,
      packets_drawn: Math.round(f.packets),
      engine_behind: f.behind,
      render_ms: round(median(renders)),
    }),
  );
} finally {
  await browser.close();
  await server.close();
  await isolated.close();
}
