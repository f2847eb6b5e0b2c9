// The tutorial's tools in the built app. Chapter 1's broker.conf editor:
// a valid edit rebuilds the running cluster at the same moment (the new
// brokerIP1 in the broker's inspector and registration, brokerRole and
// flushDiskType in its badges); a misspelt key shows the parser's message
// with line and suggestion and leaves the cluster as it was; leaving the step
// and coming back restores the step's own file and run. The A/B comparison:
// opened from the step about python-cpp's 5 attempts vs java4's budget, the
// two runs side by side with the first divergence and both hashes; and from
// the playground toolbar, on an example. Screenshots of both.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, screenshot, servedApp } from './support.mjs';

const app = servedApp();

const clock = (page) => page.locator('.sim-clock-value').textContent();
const settledCheck = (page) =>
  page.waitForFunction(
    () => !document.querySelector('.tb-stop') && (document.querySelector('.guide-hold') || document.querySelector('.tut-check')?.dataset.check),
  );

test('broker.conf is parsed as the learner types, and only a valid file reaches the cluster', async () => {
  const { context, page, problems } = await openApp(app.browser, app.server, { locale: 'en-US' });
  await page.getByRole('heading', { name: '1.1 One NameServer, one broker' }).waitFor();
  await settledCheck(page);
  const editor = page.getByRole('textbox', { name: 'broker.conf text' });
  const file = await editor.inputValue();
  for (const line of ['brokerClusterName=DefaultCluster', 'brokerName=broker-a', 'brokerId=0', 'deleteWhen=04',
    'fileReservedTime=48', 'brokerRole=ASYNC_MASTER', 'flushDiskType=ASYNC_FLUSH', 'brokerIP1=192.168.2.57']) {
    assert.ok(file.includes(line), `the tutorial's file has ${line}`);
  }
  const broker = page.locator('.sim-cluster g[data-node="broker-a"]');
  assert.match(await broker.textContent(), /192\.168\.2\.57:10911/);
  assert.match(await broker.textContent(), /ASYNC_MASTER/);
  const before = await clock(page);

  // A valid edit: rebuilt at the same moment with the new address and badges.
  await broker.click();
  const inspector = page.getByRole('complementary', { name: 'Inspector: broker-a' });
  await inspector.waitFor();
  await editor.fill(file.replace('192.168.2.57', '10.0.0.8').replace('ASYNC_MASTER', 'SYNC_MASTER').replace('ASYNC_FLUSH', 'SYNC_FLUSH'));
  const verdict = page.locator('.conf-verdict');
  await inspector.getByText('10.0.0.8:10911').waitFor();
  assert.equal(await verdict.getAttribute('data-verdict'), 'valid');
  assert.match(await verdict.textContent(), /Valid: applied to the running cluster\.\s*Address announced to the NameServer: 10\.0\.0\.8:10911/);
  const inspected = await inspector.textContent();
  assert.match(inspected, /Role\s*SYNC_MASTER/);
  assert.match(inspected, /Flush\s*SYNC_FLUSH/);
  assert.match(await broker.textContent(), /SYNC_MASTER/, 'the role badge follows');
  // The narration's claim (the registration carries 192.168.2.57) no longer holds, and it says so.
  assert.equal(await page.locator('.tut-check').getAttribute('data-check'), 'differs');
  assert.equal(await clock(page), before, 'the rebuilt run stands at the same moment');
  await verdict.scrollIntoViewIfNeeded();
  await screenshot(page, 'conf-editor-valid');

  // A typo: refused with the line and the suggestion; the cluster is untouched.
  const typo = (await editor.inputValue()).replace('brokerIP1=', 'brokerIp=');
  await editor.fill(typo);
  await page.waitForFunction(() => document.querySelector('.conf-verdict')?.dataset.verdict === 'refused');
  const line = typo.split('\n').findIndex((l) => l.startsWith('brokerIp=')) + 1;
  const refusal = await verdict.textContent();
  assert.ok(refusal.includes(`broker.conf line ${line}: brokerIp: unknown key; did you mean brokerIP1?`), refusal);
  assert.ok(refusal.includes('The running cluster is unchanged.'), refusal);
  assert.match(await inspector.textContent(), /10\.0\.0\.8:10911/, 'still the last valid file');
  assert.match(await broker.textContent(), /SYNC_MASTER/);
  assert.equal(await clock(page), before);
  // A bad value, too.
  await editor.fill(typo.replace('brokerIp=', 'brokerIP1=').replace('SYNC_FLUSH', 'FAST'));
  await page.waitForFunction(() => document.querySelector('.conf-message')?.textContent.includes('"FAST" is not ASYNC_FLUSH or SYNC_FLUSH'));
  await verdict.scrollIntoViewIfNeeded();
  await screenshot(page, 'conf-editor-refused');

  // Next, then Back: the step's own file and run again.
  await inspector.getByRole('button', { name: 'Close' }).click();
  await page.getByRole('button', { name: 'Next', exact: true }).click();
  await page.getByRole('heading', { name: '1.2 Registering again every 30 s' }).waitFor();
  await page.getByRole('button', { name: 'Back', exact: true }).click();
  await page.getByRole('heading', { name: '1.1 One NameServer, one broker' }).waitFor();
  await settledCheck(page);
  assert.equal(await editor.inputValue(), file, 'the step shows its own file again');
  await page.waitForFunction(() => document.querySelector('.sim-cluster g[data-node="broker-a"]')?.textContent.includes('192.168.2.57:10911'));
  assert.match(await broker.textContent(), /ASYNC_MASTER/);
  assert.match(await broker.textContent(), /ASYNC_FLUSH/);
  assert.equal(await page.locator('.tut-check').getAttribute('data-check'), 'holds');

  // Chinese: the same refusal, with a Chinese lead.
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('textbox', { name: 'broker.conf 的内容' }).fill('brokerIP=192.168.2.57');
  await page.getByText('第 1 行的 brokerIP 被拒绝：').waitFor();
  assert.match(await verdict.textContent(), /did you mean brokerIP1\?/);
  assert.deepEqual(problems, []);
  await context.close();
});

test('A/B: python-cpp vs java4 side by side, from the tutorial and from the playground', async () => {
  const { context, page, problems } = await openApp(app.browser, app.server, { locale: 'en-US' });
  await page.getByRole('heading', { name: '1.1 One NameServer, one broker' }).waitFor();
  await page.locator('.tut-chapter-menu > summary').click();
  await page.getByRole('button', { name: '3. Sync send' }).click();
  const next = page.getByRole('button', { name: 'Next', exact: true });
  while (!/"At most 2 retries"/.test(await page.locator('.tut-step-title').textContent())) {
    await next.click();
    await settledCheck(page);
  }
  const link = page.getByRole('button', { name: 'Compare side by side: Client flavor, python-cpp vs java4' });
  await link.scrollIntoViewIfNeeded();
  await screenshot(page, 'compare-link');
  await link.click();
  const dialog = page.getByRole('dialog', { name: 'A/B comparison' });
  await dialog.waitFor();
  const table = dialog.getByRole('table', { name: 'Key outcomes of both runs' });
  assert.match(await table.locator('thead').textContent(), /A: python-cpp.*B: java4/);
  const msg1 = table.getByRole('row').filter({ hasText: 'Message #1' });
  assert.match(await msg1.textContent(), /FAILED · 5 attempt\(s\) · 20(\.\d+)? s/);
  assert.match(await msg1.textContent(), /FAILED · 1 attempt\(s\) · /);
  assert.equal(await msg1.getAttribute('data-differs'), 'true');
  const hashes = dialog.locator('.compare-hashes');
  const [a, b] = [await hashes.getAttribute('data-hash-a'), await hashes.getAttribute('data-hash-b')];
  assert.match(a, /^[0-9a-f]{16}$/);
  assert.notEqual(a, b);
  const divergence = dialog.getByRole('region', { name: 'First divergence' });
  const found = await divergence.textContent();
  assert.match(found, /The first \d+ records are identical; record \d+ \(at [\d.]+ s\) differs\./);
  assert.match(found, /A logs: .*B logs: /s);
  assert.match(found, /Client flavor: A is python-cpp, B is java4/);
  await screenshot(page, 'compare-flavor');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });

  // From the playground toolbar, in Chinese: the running scenario, then examples.
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('button', { name: '自由模式', exact: true }).click();
  await page.getByRole('button', { name: '对比', exact: true }).click();
  const zh = page.getByRole('dialog', { name: 'A/B 对比' });
  await zh.waitFor();
  assert.match(await zh.textContent(), /正在运行的场景/);
  const zhTable = zh.getByRole('table', { name: '两次运行的关键结果' });
  await zh.getByRole('combobox', { name: '场景' }).selectOption({ label: '延时级别 2 与 3' });
  await zh.getByRole('columnheader', { name: 'B：延时级别 3' }).waitFor();
  assert.equal(await zh.getByRole('combobox', { name: '要改的设置' }).inputValue(), '2');
  const deliveries = await zhTable.getByRole('row').filter({ hasText: '投递给监听器' }).textContent();
  assert.match(deliveries, /5 次（7\.\d+ s 到 7\.\d+ s）.*5 次（1[12]\.\d+ s 到 1[12]\.\d+ s）/, deliveries);
  await screenshot(page, 'compare-delay-zh');
  await zh.getByRole('combobox', { name: '场景' }).selectOption({ label: 'SYNC_MASTER 与 ASYNC_MASTER（Slave 掉线）' });
  await zh.getByRole('columnheader', { name: 'B：ASYNC_MASTER' }).waitFor();
  assert.match(await zhTable.getByRole('row').filter({ hasText: '消息 #1' }).textContent(), /SLAVE_NOT_AVAILABLE.*SEND_OK/);
  await zh.getByRole('button', { name: '关闭' }).click();
  await zh.waitFor({ state: 'detached' });
  assert.deepEqual(problems, []);
  await context.close();
});
