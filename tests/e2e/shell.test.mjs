// Journeys through the app shell as a learner meets it: the built app opens
// in the browser's language, shows its landmarks and the "simulated" badge,
// and the 中文 / English switch relabels it live and is remembered.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, screenshot, servedApp } from './support.mjs';

const app = servedApp();

test('an English browser gets the English shell with its landmarks', async () => {
  const { context, page, problems } = await openApp(app.browser, app.server, { locale: 'en-US' });

  await page.getByRole('heading', { level: 1, name: 'RocketMQ Simulator' }).waitFor();
  assert.equal(await page.title(), 'RocketMQ 模拟器 · RocketMQ Simulator');
  assert.ok(await page.getByRole('main', { name: 'Cluster view' }).isVisible());
  assert.ok(await page.getByRole('complementary', { name: 'Narration and code' }).isVisible());
  assert.ok(await page.getByRole('region', { name: 'Time controls' }).isVisible());
  assert.ok(await page.getByText('Simulated', { exact: true }).isVisible());
  assert.ok(await page.getByRole('group', { name: 'Cluster diagram' }).isVisible());
  assert.equal(await page.getByRole('alertdialog').count(), 0);
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');

  await screenshot(page, 'shell-en-1280x720');
  assert.deepEqual(problems, [], 'the page logs no errors (CSP violations included)');
  await context.close();
});

test('clicking 中文 relabels the page live, and the choice survives a reload', async () => {
  const { context, page, problems } = await openApp(app.browser, app.server, { locale: 'en-US' });
  await page.getByRole('heading', { level: 1, name: 'RocketMQ Simulator' }).waitFor();

  await page.getByRole('button', { name: '中文' }).click();

  await page.getByRole('heading', { level: 1, name: 'RocketMQ 模拟器' }).waitFor();
  assert.ok(await page.getByRole('main', { name: '集群视图' }).isVisible());
  assert.ok(await page.getByText('模拟', { exact: true }).isVisible());
  assert.equal(await page.getByRole('button', { name: '中文' }).getAttribute('aria-pressed'), 'true');
  assert.equal(await page.getByRole('button', { name: 'English' }).getAttribute('aria-pressed'), 'false');
  assert.equal(await page.locator('html').getAttribute('lang'), 'zh-CN');
  await screenshot(page, 'shell-zh-1280x720');

  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'RocketMQ 模拟器' }).waitFor();

  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { level: 1, name: 'RocketMQ Simulator' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('a Chinese browser starts in Chinese', async () => {
  const { context, page, problems } = await openApp(app.browser, app.server, { locale: 'zh-CN' });
  await page.getByRole('heading', { level: 1, name: 'RocketMQ 模拟器' }).waitFor();
  assert.ok(await page.getByRole('main', { name: '集群视图' }).isVisible());
  assert.deepEqual(problems, []);
  await context.close();
});
