// A Rust panic must leave the learner a readable error panel, not a frozen
// page. `?debug=panic` makes the real release build panic inside a render.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, screenshot, servedApp } from './support.mjs';

const app = servedApp();

test('a panic shows the error panel, and its Reload button reloads', async () => {
  const { context, page } = await openApp(app.browser, app.server, {
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
  const { context, page } = await openApp(app.browser, app.server, {
    locale: 'zh-CN',
    path: '/?seed=1&debug=panic',
  });
  const dialog = page.getByRole('alertdialog', { name: '模拟器因内部错误停止了' });
  await dialog.waitFor();
  assert.ok(await dialog.getByRole('button', { name: '重新加载' }).isVisible());
  await context.close();
});

test('the panel shows the repro line and returns to the last good state', async () => {
  const { context, page } = await openApp(app.browser, app.server, { locale: 'en-US', path: '/?mode=playground' });
  await page.getByRole('group', { name: 'Cluster diagram' }).waitFor();
  await page.getByRole('button', { name: /^Scenario:/ }).click();
  await page.getByRole('button', { name: /^sync-retry-killed-broker/ }).click();
  await page.getByRole('button', { name: 'Scenario: sync-retry-killed-broker' }).waitFor();
  // Run a little, pause, and let the driver save the state (at most once a second).
  await page.getByRole('slider', { name: 'Speed' }).fill('9');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction(() => document.querySelector('.sim-clock-value')?.textContent.trim() !== '0.000 s');
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await page.waitForTimeout(1200);
  await page.keyboard.press('ArrowRight');
  await page.waitForTimeout(200);
  const clock = (await page.locator('.sim-clock-value').textContent()).trim();
  const saved = await page.evaluate(() => sessionStorage.getItem('rocketmq-sim.last-good'));
  assert.ok(saved && JSON.parse(saved).format === 'rmqsim-session', 'the last good state is saved as a session document');

  // Same tab, a page that panics: the panel names the run and offers the way back.
  await page.goto(`${new URL(page.url()).origin}/?mode=playground&debug=panic`);
  const dialog = page.getByRole('alertdialog', { name: 'The simulator stopped on an internal error' });
  await dialog.waitFor();
  const repro = (await dialog.locator('.panic-repro-line').textContent()).trim();
  console.log(`repro line: ${repro}`);
  assert.match(repro, /^scenario sync-retry-killed-broker · seed \d+ · client (python-cpp|java4) · t = \d+\.\d{3} s · \d+ intervention\(s\)$/);
  assert.ok((await dialog.locator('.panic-token').textContent()).trim().length > 20, 'the share token is shown');
  await screenshot(page, 'panic-repro-en-1280x720');

  await Promise.all([
    page.waitForEvent('load'),
    dialog.getByRole('button', { name: 'Return to the last good state' }).click(),
  ]);
  assert.match(page.url(), /restore=last/);
  await page.getByRole('button', { name: 'Scenario: sync-retry-killed-broker' }).waitFor();
  await page.waitForFunction(
    (clock) => document.querySelector('.sim-clock-value')?.textContent.trim() === clock,
    clock,
    { timeout: 20_000 },
  );
  assert.equal(await page.locator('#panic-panel').count(), 0, 'no panel after the restore');
  await context.close();
});
