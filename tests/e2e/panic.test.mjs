// A Rust panic must leave the learner a readable error panel, not a frozen
// page. `?debug=panic` makes the real release build panic inside a render.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openApp, screenshot, serveDist } from './support.mjs';

let server;
let browser;

before(async () => {
  server = await serveDist();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('a panic shows the error panel, and its Reload button reloads', async () => {
  const { context, page } = await openApp(browser, server, {
    locale: 'en-US',
    path: '/?debug=panic',
  });

  const dialog = page.getByRole('alertdialog', {
    name: 'The simulator stopped on an internal error',
  });
  await dialog.waitFor();
  const text = await dialog.textContent();
  assert.match(text, /deliberate panic requested with \?debug=panic/);
  assert.match(text, /How to report it/);
  const reload = dialog.getByRole('button', { name: 'Reload' });
  assert.ok(await reload.evaluate((button) => button === document.activeElement));
  await screenshot(page, 'panic-en-1280x720');

  await page.evaluate(() => {
    window.beforeReload = true;
  });
  await Promise.all([page.waitForEvent('load'), reload.click()]);
  await dialog.waitFor();
  assert.equal(await page.evaluate(() => window.beforeReload), undefined, 'the page reloaded');
  await context.close();
});

test("the panel speaks the learner's language", async () => {
  const { context, page } = await openApp(browser, server, {
    locale: 'zh-CN',
    path: '/?seed=1&debug=panic',
  });
  const dialog = page.getByRole('alertdialog', { name: '模拟器因内部错误停止了' });
  await dialog.waitFor();
  assert.ok(await dialog.getByRole('button', { name: '重新加载' }).isVisible());
  await context.close();
});
