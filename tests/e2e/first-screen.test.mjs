// The static first step in index.html (src/tutorial/first_screen.rs) and
// static/first.js: a learner reads step 1 before the wasm arrives, in the
// language the app will open in, and the app takes over when it mounts.
// The wasm is held back by the test until it has looked at the page.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, servedApp } from './support.mjs';

const app = servedApp();

/** Opens `path` with the wasm held until `release()` is called. */
async function openHeld({ locale, path = '/', viewport = { width: 1280, height: 800 }, storage = {} }) {
  const phone = viewport.width < 500;
  const context = await app.browser.newContext({ locale, viewport, isMobile: phone, hasTouch: phone });
  const page = await context.newPage();
  await page.addInitScript((items) => {
    for (const [k, v] of Object.entries(items)) localStorage.setItem(k, v);
  }, storage);
  let release;
  const held = new Promise((done) => (release = done));
  await page.route(/_bg\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(app.server.url + path, { waitUntil: 'domcontentloaded' });
  return { context, page, release };
}

for (const [locale, title, next, other] of [
  ['zh-CN', '1.1 一个 NameServer，一个 Broker', '下一步', 'One NameServer'],
  ['en-US', '1.1 One NameServer, one broker', 'Next', '一个 NameServer'],
]) {
  test(`${locale}: step 1 is readable before the wasm arrives, then the app takes over`, async () => {
    const { context, page, release } = await openHeld({ locale });
    const heading = page.locator('.tut-step-title');
    assert.equal(await heading.count(), 1, 'one copy of the step: the other language is gone');
    assert.equal((await heading.textContent()).trim(), title);
    assert.ok(await heading.isVisible());
    assert.ok(await page.locator('.tut-para').first().isVisible());
    assert.equal(await page.getByText(other).count(), 0);
    const nextButton = page.locator('.tut-next');
    assert.equal((await nextButton.textContent()).trim(), next);
    assert.ok(await nextButton.isDisabled(), 'Next waits for the app');
    assert.equal(await page.evaluate(() => document.documentElement.lang), locale === 'zh-CN' ? 'zh-CN' : 'en');
    await screenshot(page, `first-screen-static-${locale}`);

    release();
    await page.waitForSelector('#boot', { state: 'detached' });
    await page.locator('.tut-next:not([disabled])').click();
    await page.waitForFunction(() => /^1\.2 /.test(document.querySelector('.tut-step-title')?.textContent ?? ''));
    await context.close();
  });
}

test('a remembered language wins over the browser language, as in the app', async () => {
  const { context, page, release } = await openHeld({ locale: 'zh-CN', storage: { 'rocketmq-sim.lang': 'en' } });
  assert.equal((await page.locator('.tut-step-title').textContent()).trim(), '1.1 One NameServer, one broker');
  release();
  await context.close();
});

for (const [why, path, storage] of [
  ['another mode', '/?mode=playground', {}],
  ['the embedded player', '/?embed=retry-to-dlq', {}],
  ['a learner further on', '/', { 'rocketmq-sim.tutorial': 'v1;setup-heartbeat;' }],
]) {
  test(`the plain loading note instead of step 1 for ${why}`, async () => {
    const { context, page, release } = await openHeld({ locale: 'en-US', path, storage });
    assert.equal(await page.locator('.tut-step-title').count(), 0);
    assert.ok(await page.locator('#boot .boot-note').isVisible());
    release();
    await page.waitForSelector('#boot', { state: 'detached' });
    await context.close();
  });
}

test('on a phone, step 1 and its Next sit inside the first screen', async () => {
  const viewport = { width: 390, height: 844 };
  const { context, page, release } = await openHeld({ locale: 'en-US', viewport });
  for (const selector of ['.tut-step-title', '.tut-next']) {
    const box = await page.locator(selector).boundingBox();
    assert.ok(box && box.y >= 0 && box.y + box.height <= viewport.height, `${selector} at ${JSON.stringify(box)}`);
  }
  await screenshot(page, 'first-screen-static-phone');
  release();
  await context.close();
});

// The app draws its first screen where the static step stood: the title, the
// narration and Next do not move when it takes over (on a phone and on a desktop).
for (const viewport of [{ width: 390, height: 844 }, { width: 1280, height: 800 }]) {
  for (const locale of ['zh-CN', 'en-US']) {
    test(`${viewport.width}×${viewport.height}, ${locale}: the step does not jump when the app replaces the static copy`, async () => {
      const { context, page, release } = await openHeld({ locale, viewport });
      const boxes = () =>
        page.evaluate(() =>
          Object.fromEntries(
            ['.app-header', '.tut-step-title', '.tut-text', '.tut-para'].map((sel) => {
              const r = document.querySelector(sel).getBoundingClientRect();
              return [sel, { left: Math.round(r.left), top: Math.round(r.top), width: Math.round(r.width) }];
            }),
          ),
        );
      const before = await boxes();
      await screenshot(page, `first-screen-static-${viewport.width}-${locale}`);
      release();
      await page.waitForSelector('#boot', { state: 'detached' });
      await page.locator('.sim-cluster g[data-node]').first().waitFor();
      const after = await boxes();
      await screenshot(page, `first-screen-app-${viewport.width}-${locale}`);
      for (const sel of Object.keys(before)) {
        for (const k of ['left', 'top', 'width']) {
          assert.ok(Math.abs(before[sel][k] - after[sel][k]) <= 2, `${sel} ${k}: ${before[sel][k]} before the app, ${after[sel][k]} after`);
        }
      }
      await context.close();
    });
  }
}
