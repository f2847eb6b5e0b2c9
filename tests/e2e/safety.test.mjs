// Safety: user text is always shown as text, never parsed as HTML; the page's
// Content-Security-Policy allows only its own origin and WebAssembly; and the
// app never makes a request outside its origin.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DIST, openApp, screenshot, servedApp } from './support.mjs';

const PAYLOAD = '<img src=x onerror="window.__xss=1">';

const app = servedApp();

test('HTML in the body, tags, keys and properties is shown literally and never runs', async () => {
  const { context, page } = await openApp(app.browser, app.server, { locale: 'en-US', path: '/?mode=playground' });
  await page.getByRole('group', { name: 'Cluster diagram' }).waitFor();

  await page.getByRole('button', { name: 'Send messages…' }).click();
  const form = page.getByRole('dialog', { name: 'Send messages' });
  await form.getByRole('spinbutton', { name: 'Count' }).fill('1');
  await form.getByRole('textbox', { name: 'Tags (set_tags)' }).fill(PAYLOAD);
  await form.getByRole('textbox', { name: 'Keys (set_keys)' }).fill(PAYLOAD);
  await form.getByRole('textbox', { name: 'Body (set_body)' }).fill(PAYLOAD);
  await form.getByRole('textbox', { name: 'Properties (set_property)' }).fill(`note=${PAYLOAD}`);
  // The live Python preview quotes the text as it is.
  assert.ok((await form.locator('pre').textContent()).includes(PAYLOAD), 'the code preview shows the text');
  await form.getByRole('button', { name: 'Send', exact: true }).click();
  await form.waitFor({ state: 'detached' });

  // Run a little, then open passports until the one of our message (its keys and tags show).
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction(() => document.querySelector('.sim-clock-value')?.textContent.trim() !== '0.000 s');
  await page.waitForTimeout(1500);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  const labels = await page
    .getByRole('button', { name: /^msg #\d+$/ })
    .evaluateAll((els) => els.map((e) => e.textContent.trim()));
  const msgs = [...new Set(labels.map((l) => Number(l.match(/(\d+)$/)[1])))].sort((a, b) => b - a);
  assert.ok(msgs.length > 0, 'messages are listed');
  let found = false;
  for (const msg of msgs) {
    await page.getByRole('button', { name: `msg #${msg}`, exact: true }).first().dispatchEvent('click');
    await page.locator('.view-passport').waitFor();
    await page.waitForTimeout(150);
    if ((await page.locator('.view-passport').textContent()).includes(PAYLOAD)) {
      found = true;
      break;
    }
  }
  assert.ok(found, 'a passport shows the keys and tags as typed');
  await screenshot(page, 'safety-passport-en-1280x720');

  assert.equal(await page.evaluate(() => window.__xss), undefined, 'no handler ran');
  assert.equal(await page.locator('img[src="x"]').count(), 0, 'no <img> was created from the text');
  await context.close();
});

test('the Content-Security-Policy allows only the page itself and WebAssembly', async () => {
  const html = await readFile(join(DIST, 'index.html'), 'utf8');
  // The release build's HTML is minified: attributes may come in any order, unquoted.
  const tag = html.match(/<meta[^>]*http-equiv="?Content-Security-Policy"?[^>]*>/i)?.[0];
  const csp = tag?.match(/content="([^"]+)"/)?.[1];
  assert.ok(csp, 'index.html carries a CSP meta tag');
  const directives = Object.fromEntries(
    csp.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name, values]),
  );
  assert.deepEqual(directives['default-src'], ["'self'"]);
  assert.deepEqual(directives['script-src'], ["'self'", "'wasm-unsafe-eval'"]);
  assert.deepEqual(directives['object-src'], ["'none'"]);
  for (const [name, values] of Object.entries(directives)) {
    for (const value of values) {
      assert.ok(["'self'", "'none'", "'wasm-unsafe-eval'"].includes(value), `${name} allows only self/none/wasm, not ${value}`);
    }
  }
});

test('a whole journey makes no request outside the page origin', async () => {
  const context = await app.browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 720 } });
  const page = await context.newPage();
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  await page.goto(`${app.server.url}/?mode=playground`);
  await page.getByRole('group', { name: 'Cluster diagram' }).waitFor();
  await page.getByRole('button', { name: /^Scenario:/ }).click();
  await page.getByRole('button', { name: /^retry-to-dlq/ }).click();
  await page.getByRole('button', { name: 'Scenario: retry-to-dlq' }).waitFor();
  await page.getByRole('slider', { name: 'Speed' }).fill('18');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForTimeout(1500);
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  for (const tab of await page.getByRole('tab').all()) {
    await tab.click().catch(() => {});
  }
  // The engine's invariants ran in the browser too; the Checkers tab counts them.
  await page.getByRole('tab', { name: /Checkers/ }).first().click();
  assert.match(await page.locator('.c-invariants').textContent(), /^Engine invariants: [1-9]\d* checks, 0 violations$/);
  await page.getByRole('button', { name: /中文/ }).first().click().catch(() => {});
  await page.goto(`${app.server.url}/`);
  await page.waitForTimeout(1000);
  assert.ok(requests.length > 3, `requests were recorded (${requests.length})`);
  const outside = requests.filter((url) => new URL(url).origin !== app.server.url);
  assert.deepEqual(outside, [], 'every request stays on the page origin');
  await context.close();
});
