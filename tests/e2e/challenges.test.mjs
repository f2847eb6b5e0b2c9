// Challenges (挑战) as a learner meets them: the list, a challenge solved with
// the send form and the fault palette, one failed on purpose (the broken check
// names its event, which opens the message's passport), another solved with
// the send form; after a reload both are still marked solved. The same in
// Chinese. Screenshots of the list and a challenge in both languages.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openApp, screenshot, servedApp } from './support.mjs';

const app = servedApp();

/** Sends from the send form: `mode`, `count`, `delay` (level). */
async function send(page, labels, { mode = 'sync', count = 1, delay = 0 } = {}) {
  await page.getByRole('button', { name: labels.sendButton }).click();
  const form = page.getByRole('dialog', { name: labels.sendDialog });
  await form.getByRole('combobox', { name: labels.mode }).selectOption(mode);
  await form.getByRole('spinbutton', { name: labels.count }).fill(String(count));
  await form.getByRole('spinbutton', { name: labels.delay }).fill(String(delay));
  await form.getByRole('button', { name: labels.send, exact: true }).click();
  await form.waitFor({ state: 'detached' });
}

/** Plays at the fastest speed until the clock reaches `ms`, then pauses. */
async function playUntil(page, labels, ms) {
  await page.getByRole('slider', { name: labels.speed }).fill('12');
  await page.getByRole('button', { name: labels.play, exact: true }).click();
  await page.waitForFunction((t) => {
    const text = document.querySelector('.sim-clock-value')?.textContent ?? '';
    let v = 0;
    for (const [, n, u] of text.matchAll(/(\d+(?:\.\d+)?)\s*(h|min|m|s)\b/g)) v += Number(n) * { h: 3_600_000, min: 60_000, m: 60_000, s: 1000 }[u];
    return v >= t;
  }, ms, { timeout: 60_000 });
  // At this speed the run may reach its end before the click: then there is nothing to pause.
  const pause = page.getByRole('button', { name: labels.pause, exact: true });
  await pause.click({ timeout: 1000 }).catch(() => {});
}

/** Advances a few engine events (so a send is on its way). */
async function nextEvents(page, labels, n) {
  for (let i = 0; i < n; i++) await page.getByRole('button', { name: labels.next }).click();
}

async function kill(page, labels, node) {
  await page.getByRole('button', { name: new RegExp(`^${node}, Broker, |^${node}，Broker，`) }).click({ button: 'right' });
  const menu = page.getByRole('menu', { name: labels.menu(node) });
  await menu.waitFor();
  await menu.getByRole('menuitem', { name: labels.kill }).click();
}

const EN = {
  sendButton: 'Send messages…', sendDialog: 'Send messages', mode: 'Mode', count: 'Count', delay: 'Delay level', send: 'Send',
  speed: 'Speed', play: 'Play', pause: 'Pause', next: 'Next event', menu: (n) => `Actions for ${n}`, kill: 'Kill',
  list: 'Challenges', submit: 'Check my run', again: 'Load the starting cluster again', back: '← All challenges',
};

test('a learner solves two challenges, fails one on purpose, and finds them solved after a reload', async () => {
  const { context, page, problems } = await openApp(app.browser, app.server, { locale: 'en-US', path: '/?mode=challenges' });
  const column = page.getByRole('complementary', { name: 'Challenges' });
  // The built-in challenges arrive after the column (challenges.json).
  await column.getByText(/of 17 solved/).waitFor();
  assert.match(await column.textContent(), /0 of 17 solved/);
  await screenshot(page, 'challenges-list-en');

  // 1. Lose a message without a trace: a sync send caches the route, broker-a dies, a oneway send vanishes.
  await column.getByRole('button', { name: /Lose a message without a trace/ }).click();
  await page.getByRole('heading', { name: 'Lose a message without a trace' }).waitFor();
  assert.match(await column.textContent(), /the send form/);
  assert.match(await column.textContent(), /the fault palette/);
  const checklist = page.getByRole('region', { name: 'Checklist' });
  await checklist.waitFor();
  await send(page, EN);
  await nextEvents(page, EN, 6);
  await kill(page, EN, 'broker-a');
  await page.getByRole('button', { name: /^broker-a, Broker, down/ }).waitFor();
  await send(page, EN, { mode: 'oneway' });
  await playUntil(page, EN, 5_000);
  await checklist.getByRole('listitem', { name: /at least one message is lost: Met/ }).waitFor();
  await screenshot(page, 'challenge-oneway-en');
  await column.getByRole('button', { name: EN.submit }).click();
  await column.getByText(/^Solved!/).waitFor();

  // 2. The same challenge failed on purpose: a sync send to the dead broker fails loudly,
  //    and the broken check names its event, which opens the message's passport.
  await column.getByRole('button', { name: EN.again }).click();
  await page.waitForFunction(() => document.querySelector('.sim-clock-value')?.textContent.trim() === '0.000 s');
  await send(page, EN);
  await nextEvents(page, EN, 6);
  await kill(page, EN, 'broker-a');
  await send(page, EN, { mode: 'sync' });
  await playUntil(page, EN, 15_000);
  const broken = checklist.locator('li[data-check="no-error"] button.ch-breaker');
  await broken.waitFor();
  assert.match(await broken.textContent(), /^Broken by event #\d+ \(send_failed at /);
  await broken.click();
  await page.getByRole('complementary', { name: /^Passport of message #\d+$/ }).waitFor();
  await column.getByRole('button', { name: EN.submit }).click();
  await column.getByText(/^Not yet: the checks .*no-error/).waitFor();
  await screenshot(page, 'challenge-failed-en');

  // 3. Arrive 30 s later: delay level 4 from the send form.
  await column.getByRole('button', { name: EN.back }).click();
  await column.getByRole('button', { name: /Arrive 30 s later/ }).click();
  await page.getByRole('heading', { name: 'Arrive 30 s later' }).waitFor();
  await send(page, EN, { delay: 4 });
  await playUntil(page, EN, 32_000);
  await column.getByRole('button', { name: EN.submit }).click();
  await column.getByText(/^Solved!/).waitFor();

  // A reload keeps what is solved.
  await page.reload();
  await column.getByText(/of 17 solved/).waitFor();
  assert.match(await column.textContent(), /2 of 17 solved/);
  for (const name of ['silent-oneway-loss', 'arrive-after-30s']) {
    assert.match(await column.locator(`li[data-challenge="${name}"]`).textContent(), /Solved/);
  }
  assert.doesNotMatch(await column.locator('li[data-challenge="into-the-dlq"]').textContent(), /Solved/);

  // Hints one at a time; the reference solution only after a confirmation.
  await column.getByRole('button', { name: /Into the dead-letter queue/ }).click();
  await column.getByRole('button', { name: /^Show a hint \(2 left\)$/ }).click();
  await column.getByText(/^Hint 1:/).waitFor();
  await column.getByRole('button', { name: 'Show the reference solution' }).click();
  const confirm = column.getByRole('alertdialog', { name: 'Show the reference solution' });
  await confirm.getByRole('button', { name: 'Show it' }).click();
  await column.getByText(/RECONSUME_LATER/).first().waitFor();
  await screenshot(page, 'challenge-help-en');

  assert.deepEqual(problems, []);
  await context.close();
});

const ZH = {
  sendButton: '发送消息…', sendDialog: '发送消息', mode: '发送方式', count: '条数', delay: '延时级别', send: '发送',
  speed: '速度', play: '播放', pause: '暂停', next: '跳到下一个事件', menu: (n) => `${n} 的操作`, kill: '杀死进程',
};

test('in Chinese: the list, a solved challenge and a broken check', async () => {
  const { context, page, problems } = await openApp(app.browser, app.server, { locale: 'zh-CN', path: '/?mode=challenges' });
  await page.getByRole('button', { name: '中文' }).click();
  const column = page.getByRole('complementary', { name: '挑战' });
  await column.waitFor();
  assert.match(await column.textContent(), /已完成 0 \/ 17/);
  await screenshot(page, 'challenges-list-zh');
  await column.getByRole('button', { name: /30 秒后送达/ }).click();
  await page.getByRole('heading', { name: '30 秒后送达' }).waitFor();
  // The wrong level first: the gap check stays unmet and names the delivery that came too early.
  await send(page, ZH, { delay: 3 });
  await playUntil(page, ZH, 15_000);
  const checklist = page.getByRole('region', { name: '检查清单' });
  const broken = checklist.locator('li[data-check="gap"] button.ch-breaker');
  await broken.waitFor();
  assert.match(await broken.textContent(), /^被第 \d+ 个事件（delivered，/);
  await column.getByRole('button', { name: '检查我的运行' }).click();
  await column.getByText(/^还没有完成/).waitFor();
  await screenshot(page, 'challenge-failed-zh');
  await column.getByRole('button', { name: '重新载入起始集群' }).click();
  await page.waitForFunction(() => document.querySelector('.sim-clock-value')?.textContent.trim().startsWith('0.000'));
  await send(page, ZH, { delay: 4 });
  await playUntil(page, ZH, 32_000);
  await column.getByRole('button', { name: '检查我的运行' }).click();
  await column.getByText(/^完成了/).waitFor();
  await screenshot(page, 'challenge-solved-zh');
  // After a reload the list still marks it solved.
  await page.reload();
  await column.waitFor();
  await column.getByText('已完成 1 / 17').waitFor();
  assert.match(await column.locator('li[data-challenge="arrive-after-30s"]').textContent(), /已完成/);
  await column.getByRole('button', { name: /30 秒后送达/ }).click();
  await page.getByRole('heading', { name: '30 秒后送达' }).waitFor();
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'challenge-solved-zh-phone');
  assert.deepEqual(problems, []);
  await context.close();
});

test('a teacher imports a challenge file, a malformed one is refused naming its field, and a link opens a shared challenge', async () => {
  const { readFile } = await import('node:fs/promises');
  const original = JSON.parse(await readFile(new URL('../../crates/rmqsim/challenges/arrive-after-30s.json', import.meta.url), 'utf8'));
  const mine = { ...original, name: 'teacher-30s', title: { zh: '老师的 30 秒', en: "The teacher's 30 s" } };
  const { context, page, problems } = await openApp(app.browser, app.server, { locale: 'en-US', path: '/?mode=challenges' });
  const column = page.getByRole('complementary', { name: 'Challenges' });
  await column.waitFor();

  // A malformed file: a check naming a broker the cluster lacks. Refused, the list unchanged.
  const broken = { ...mine, checks: [{ ...mine.checks[0], kind: 'count', event: 'stored', where: { broker: 'broker-z' }, min: 1, from: undefined, to: undefined, max: undefined }] };
  delete broken.checks[0].from; delete broken.checks[0].to; delete broken.checks[0].max;
  const input = column.locator('input[type="file"]');
  await input.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)) });
  await column.getByText(/Not opened: broken\.json: checks\[0\]\.where\.broker: "broker-z" is not a node/).waitFor();
  assert.match(await column.textContent(), /0 of 17 solved/);

  // A good file opens at once and joins the list.
  await input.setInputFiles({ name: 'mine.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(mine)) });
  await page.getByRole('heading', { name: "The teacher's 30 s" }).waitFor();
  await page.getByRole('button', { name: 'Scenario: teacher-30s' }).waitFor();
  await column.getByRole('button', { name: '← All challenges' }).click();
  await column.locator('li[data-challenge="teacher-30s"]').waitFor();
  await context.close();

  // The link a teacher shares carries the document: a fresh browser opens it.
  const token = Buffer.from(JSON.stringify(mine)).toString('base64url');
  const fresh = await openApp(app.browser, app.server, { locale: 'en-US', path: `/?mode=challenges#challenge=${token}` });
  await fresh.page.getByRole('heading', { name: "The teacher's 30 s" }).waitFor();
  await fresh.page.getByRole('region', { name: 'Checklist' }).waitFor();
  // A damaged link says so.
  const damaged = await openApp(app.browser, app.server, { locale: 'en-US', path: '/?mode=challenges#challenge=%%%' });
  await damaged.page.getByText(/Not opened: link: the challenge in this link is damaged/).waitFor();
  assert.deepEqual([...problems, ...fresh.problems, ...damaged.problems], []);
  await fresh.context.close();
  await damaged.context.close();
});

test('a builder challenge is solved in the cluster builder, and tools a challenge does not allow stay closed', async () => {
  const { context, page, problems } = await openApp(app.browser, app.server, { locale: 'en-US', path: '/?mode=challenges' });
  const column = page.getByRole('complementary', { name: 'Challenges' });
  await column.waitFor();

  // Arrive 30 s later allows the send form only: no fault menu, no builder.
  await column.getByRole('button', { name: /Arrive 30 s later/ }).click();
  await page.getByRole('heading', { name: 'Arrive 30 s later' }).waitFor();
  await page.getByRole('button', { name: /^broker-a, Broker, / }).click({ button: 'right' });
  await page.waitForTimeout(300);
  assert.equal(await page.getByRole('menu', { name: 'Actions for broker-a' }).count(), 0, 'no fault palette');
  assert.equal(await column.getByRole('button', { name: 'Open the cluster builder…' }).count(), 0);

  // TagB never arrives: the builder changes c1's subscription; the scripted sends run on.
  await column.getByRole('button', { name: '← All challenges' }).click();
  await column.getByRole('button', { name: /TagB never arrives/ }).click();
  await page.getByRole('heading', { name: 'TagB never arrives' }).waitFor();
  assert.ok(await page.getByRole('button', { name: 'Send messages…' }).isDisabled(), 'no send form here');
  await column.getByRole('button', { name: 'Open the cluster builder…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Build a cluster' });
  await dialog.waitFor();
  await dialog.getByRole('group', { name: 'c1' }).getByRole('textbox', { name: 'Tag expression' }).fill('TagA || TagC');
  await dialog.getByRole('button', { name: 'Build and run' }).click();
  await dialog.waitFor({ state: 'detached' });
  assert.ok(await page.getByRole('button', { name: 'Send messages…' }).isDisabled(), 'the rebuilt run keeps the limits');
  await playUntil(page, EN, 10_000);
  const checklist = page.getByRole('region', { name: 'Checklist' });
  await checklist.getByText('3 of 3 met').waitFor();
  await column.getByRole('button', { name: EN.submit }).click();
  await column.getByText(/^Solved!/).waitFor();
  await screenshot(page, 'challenge-builder-en');
  assert.deepEqual(problems, []);
  await context.close();
});
