// The playground, driven as a learner would. The cluster builder: open it
// from the playground column, get each impossible setting refused beside its
// field (zero queues, a consumer with no subscription, a duplicate name),
// fix them, add a second broker as a SYNC_MASTER with SYNC_FLUSH and a
// slave, build, and find the new cluster running. Links: click one in the
// drawing to give it packet loss, hold its packets and release them; reach
// a link from the keyboard through a node's menu. Found by role and name.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, screenshot, servedApp } from './support.mjs';

const app = servedApp();

test('a learner builds a cluster; impossible settings are refused inline', async () => {
  const { context, page, problems } = await openApp(app.browser, app.server, { path: '/?mode=playground' });
  await page.getByRole('button', { name: 'Scenario: tutorial-basic' }).waitFor();

  await page.getByRole('button', { name: 'Build a cluster…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Build a cluster' });
  await dialog.waitFor();
  const status = dialog.getByRole('status');
  assert.match(await status.textContent(), /^Ready: /);
  const build = dialog.getByRole('button', { name: 'Build and run' });
  assert.equal(await build.isEnabled(), true);

  // Zero queues: refused beside the field, and the build button waits.
  const topic = dialog.getByRole('group', { name: 'TopicTest' });
  const queues = topic.getByRole('textbox', { name: 'Queues per broker' });
  await queues.fill('0');
  await topic.getByText('Zero queues: with no queue a message has nowhere to go.').waitFor();
  assert.equal(await queues.getAttribute('aria-invalid'), 'true');
  assert.equal(await build.isEnabled(), false);
  assert.match(await status.textContent(), /1 problem\(s\) to fix/);
  await queues.fill('3');
  assert.equal(await queues.getAttribute('aria-invalid'), 'false');

  // A consumer with no subscription.
  const consumer = dialog.getByRole('group', { name: 'python_consumer' });
  await consumer.getByRole('button', { name: 'Remove subscription 1 of python_consumer' }).click();
  await consumer.getByText('A consumer needs at least one subscription, or it receives nothing.').waitFor();
  assert.equal(await build.isEnabled(), false);
  await consumer.getByRole('button', { name: 'Add subscription' }).click();
  assert.equal(await consumer.getByRole('combobox', { name: 'Subscribed topic' }).inputValue(), 'TopicTest');

  // A duplicate name: a producer called like the broker.
  await dialog.getByRole('button', { name: 'Add producer' }).click();
  const p1 = dialog.getByRole('group', { name: 'p1' });
  await p1.getByRole('textbox', { name: 'ID' }).fill('broker-a');
  await dialog.getByText('A broker already has this name; node names must be unique.').waitFor();
  assert.equal(await build.isEnabled(), false);
  await screenshot(page, 'builder-refusals');
  await dialog.getByRole('group', { name: 'broker-a' }).last().getByRole('textbox', { name: 'ID' }).fill('p1');

  // A second broker, SYNC_MASTER + SYNC_FLUSH with a slave; the topic follows it.
  await dialog.getByRole('button', { name: 'Add broker' }).click();
  const brokerB = dialog.getByRole('group', { name: 'broker-b' });
  await brokerB.getByRole('combobox', { name: 'Role (brokerRole)' }).selectOption('SYNC_MASTER');
  await brokerB.getByRole('combobox', { name: 'Flush (flushDiskType)' }).selectOption('SYNC_FLUSH');
  await brokerB.getByRole('checkbox', { name: 'With a slave' }).check();
  assert.equal(await topic.getByRole('checkbox', { name: 'broker-b' }).isChecked(), true);
  await dialog.getByRole('combobox', { name: 'Client rules' }).selectOption('java4');
  await dialog.getByRole('textbox', { name: 'Scenario name' }).fill('my-two-brokers');
  assert.match(await status.textContent(), /^Ready: 2 broker\(s\), 6 write queue\(s\) in all, 2 producer\(s\), 1 consumer\(s\)\./);
  await screenshot(page, 'builder-ready');

  await build.click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Scenario: my-two-brokers' }).waitFor();
  await page.getByRole('button', { name: /^broker-b, Broker, up/ }).waitFor();
  await page.getByRole('button', { name: /^p1, Producer, / }).waitFor();
  // The new cluster runs: play and see broker-b registered with the NameServer.
  await page.getByRole('slider', { name: 'Speed' }).fill('9');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction(() => [...document.querySelectorAll('.feed-line')].some((l) => /broker-b/.test(l.textContent)));
  await screenshot(page, 'builder-built');

  assert.deepEqual(problems, []);
  await context.close();
});

test('the builder is translated and Escape closes it without touching the run', async () => {
  const { context, page, problems } = await openApp(app.browser, app.server, { locale: 'zh-CN', path: '/?mode=playground' });
  await page.getByRole('button', { name: '场景: tutorial-basic' }).waitFor();
  await page.getByRole('button', { name: '搭建集群…' }).click();
  const dialog = page.getByRole('dialog', { name: '搭建集群' });
  await dialog.waitFor();
  const queues = dialog.getByRole('group', { name: 'TopicTest' }).getByRole('textbox', { name: '每个 Broker 的队列数' });
  await queues.fill('abc');
  await dialog.getByText('请输入整数。').waitFor();
  await screenshot(page, 'builder-zh');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('button', { name: '场景: tutorial-basic' }).waitFor();
  assert.deepEqual(problems, []);
  await context.close();
});

test('a link takes loss, holds packets and releases them, from the picture and the keyboard', async () => {
  const { context, page, problems } = await openApp(app.browser, app.server, { path: '/?mode=playground' });
  await page.getByRole('button', { name: 'Scenario: tutorial-basic' }).waitFor();
  const producerLink = page.getByRole('button', { name: /^Link (producer ↔ broker-a|broker-a ↔ producer)/ });

  // Loss on the producer's link to the broker, from a click on the link.
  await producerLink.click({ force: true });
  const menu = page.getByRole('menu', { name: /^Link (producer ↔ broker-a|broker-a ↔ producer)$/ });
  await menu.waitFor();
  await menu.getByRole('menuitem', { name: 'Set packet loss…' }).click();
  const form = page.getByRole('dialog', { name: /Set packet loss: .*↔/ });
  await form.getByRole('textbox').fill('50');
  await form.getByRole('button', { name: 'Apply' }).click();
  // A straight link has no area, so Playwright never calls it visible: wait for it to be there.
  const attached = { state: 'attached' };
  await page.getByRole('button', { name: /^Link (producer ↔ broker-a|broker-a ↔ producer), 50% loss$/ }).waitFor(attached);
  await page.locator('.link-badge', { hasText: '50% loss' }).waitFor();

  // Hold: packets park on the link while the run plays, then go on release.
  await producerLink.click({ force: true });
  await menu.getByRole('menuitem', { name: 'Hold packets (until released)' }).click();
  await page.getByRole('slider', { name: 'Speed' }).fill('10');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.getByRole('button', { name: /holding [1-9]\d* packets$/ }).waitFor({ ...attached, timeout: 20_000 });
  await page.getByRole('button', { name: 'Pause', exact: true }).click();
  await screenshot(page, 'playground-link-held');
  await producerLink.click({ force: true });
  await menu.getByRole('menuitem', { name: 'Release held packets' }).click();
  await page.waitForFunction(() => !document.querySelector('.link-badge.is-held'));
  assert.match(await page.locator('.feed').textContent(), /release/i);

  // From the keyboard: a node's menu → "Link to…" → pick the other node.
  const namesrv = page.getByRole('button', { name: /^namesrv-0, NameServer, / });
  await namesrv.focus();
  await page.keyboard.press('Shift+F10');
  await page.getByRole('menuitem', { name: 'Link to… (latency, loss, hold)' }).click();
  await page.getByText('Click the other node of the link from namesrv-0').waitFor();
  await page.getByRole('button', { name: /^broker-a, Broker, / }).click();
  const linkMenu = page.getByRole('menu', { name: 'Link namesrv-0 ↔ broker-a' });
  await linkMenu.waitFor();
  await linkMenu.getByRole('menuitem', { name: 'Set latency…' }).click();
  const latency = page.getByRole('dialog', { name: /latency.*namesrv-0 ↔ broker-a/i });
  await latency.getByRole('button', { name: 'Apply' }).click();
  await page.getByRole('button', { name: /^Link (namesrv-0 ↔ broker-a|broker-a ↔ namesrv-0), 200–400 ms latency/ }).waitFor(attached);
  await screenshot(page, 'playground-link-latency');

  assert.deepEqual(problems, []);
  await context.close();
});

test('the send form offers every mode: an orderly send needs its sharding key, a transaction its local result', async () => {
  const { context, page, problems } = await openApp(app.browser, app.server, { path: '/?mode=playground' });
  await page.getByRole('button', { name: 'Scenario: tutorial-basic' }).waitFor();
  await page.getByRole('button', { name: 'Send messages…' }).click();
  const form = page.getByRole('dialog', { name: 'Send messages' });
  const mode = form.getByRole('combobox', { name: 'Mode' });
  const modes = await mode.locator('option').allTextContents();
  assert.deepEqual(modes.map((m) => m.replace(/ .*/, '')), ['sync', 'async', 'oneway', 'orderly', 'transaction']);

  // Orderly: the sharding key appears and goes into the Python line.
  await mode.selectOption('orderly');
  await form.getByRole('textbox', { name: 'Sharding key' }).fill('order-7');
  await form.getByRole('textbox', { name: 'Properties (set_property)' }).fill('name=micro services');
  const code = await form.locator('pre').textContent();
  assert.match(code, /send_orderly_with_sharding_key\(msg, 'order-7'\)/);
  assert.match(code, /msg\.set_property\('name', 'micro services'\)/);
  await form.getByRole('button', { name: 'Send', exact: true }).click();
  await form.waitFor({ state: 'detached' });

  // Transaction, rolled back by the local transaction.
  await page.getByRole('button', { name: 'Send messages…' }).click();
  await mode.selectOption('transaction');
  await form.getByRole('combobox', { name: 'Local transaction returns' }).selectOption('ROLLBACK_MESSAGE');
  assert.match(await form.locator('pre').textContent(), /return TransactionStatus\.ROLLBACK/);
  await screenshot(page, 'playground-send-transaction');
  await form.getByRole('button', { name: 'Send', exact: true }).click();
  await form.waitFor({ state: 'detached' });

  await page.getByRole('slider', { name: 'Speed' }).fill('9');
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  await page.waitForFunction(() => /ROLLBACK/.test(document.querySelector('.feed')?.textContent ?? ''), null, { timeout: 20_000 });
  // While the clock runs the feed shows only the newest lines; paused, the whole window.
  const pause = page.getByRole('button', { name: 'Pause', exact: true });
  if (await pause.isVisible()) await pause.click();
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor();
  assert.match(await page.locator('.feed').textContent(), /order-7|orderly/);
  assert.deepEqual(problems, []);
  await context.close();
});
