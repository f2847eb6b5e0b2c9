// Long sessions keep memory bounded: a busy preset plays at 10,000× over and
// over (seek to the start, play to the end) while the test samples the JS
// heap (performance.memory, precise in Chromium with
// --enable-precise-memory-info, after a forced GC) and the wasm memory
// (WebAssembly.Memory exposed by static/boot.js) at the start and the end.
//
// CI runs RELIABILITY_SECONDS=40 (the default); the long soak is
//   RELIABILITY_SECONDS=3600 DIST=/tmp/dist-rel node --test tests/e2e/reliability.test.mjs

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { openApp, serveDist } from './support.mjs';

const SECONDS = Number(process.env.RELIABILITY_SECONDS ?? 40);
const MB = 1024 * 1024;

let server;
let browser;

before(async () => {
  server = await serveDist();
  browser = await chromium.launch({
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
      '--enable-precise-memory-info',
      '--js-flags=--expose-gc',
    ],
  });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function memory(page) {
  return page.evaluate(() => {
    globalThis.gc?.();
    return {
      js: performance.memory?.usedJSHeapSize ?? 0,
      wasm: globalThis.__rmqsimMemory?.buffer?.byteLength ?? 0,
    };
  });
}

const fmt = ({ js, wasm }) => `JS heap ${(js / MB).toFixed(1)} MB, wasm memory ${(wasm / MB).toFixed(1)} MB`;

test(`playing a busy preset at 10,000× for ${SECONDS} s keeps memory bounded`, { timeout: (SECONDS + 120) * 1000 }, async () => {
  const { context, page, problems } = await openApp(browser, server, { locale: 'en-US', path: '/?mode=playground' });
  await page.getByRole('group', { name: 'Cluster diagram' }).waitFor();
  await page.getByRole('button', { name: /^Scenario:/ }).click();
  await page.getByRole('button', { name: /^retry-to-dlq/ }).click();
  await page.getByRole('button', { name: 'Scenario: retry-to-dlq' }).waitFor();
  await page.getByRole('slider', { name: 'Speed' }).fill('18');

  // One warm-up lap, so the start figure includes what any run needs.
  const timeline = page.getByRole('slider', { name: 'Timeline' });
  const play = page.getByRole('button', { name: 'Play', exact: true });
  const lap = async () => {
    const box = await timeline.boundingBox();
    await timeline.click({ position: { x: 1, y: box.height / 2 } });
    await page.waitForFunction(() => !document.querySelector('.tb-stop'), null, { timeout: 60_000 });
    await play.click();
    // Playing stops by itself at the end of the run: the Play button comes back.
    await page.getByRole('button', { name: 'Pause', exact: true }).waitFor({ state: 'detached', timeout: 60_000 });
    await play.waitFor({ timeout: 60_000 });
  };
  await lap();
  const start = await memory(page);
  console.log(`start: ${fmt(start)}`);
  assert.ok(start.js > 0, 'performance.memory is available');
  assert.ok(start.wasm > 0, 'the wasm memory is reachable');

  const deadline = Date.now() + SECONDS * 1000;
  let laps = 0;
  while (Date.now() < deadline) {
    await lap();
    laps += 1;
  }
  const end = await memory(page);
  console.log(`end after ${laps} laps of retry-to-dlq: ${fmt(end)}`);
  assert.ok(end.js < start.js * 2 + 32 * MB, `JS heap stays bounded (${fmt(start)} → ${fmt(end)})`);
  assert.ok(end.wasm < start.wasm * 2 + 64 * MB, `wasm memory stays bounded (${fmt(start)} → ${fmt(end)})`);
  assert.deepEqual(problems, []);
  await context.close();
});
