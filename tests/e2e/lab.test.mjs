// The code lab as a learner meets it: the tutorial's producer.py and consumer
// run through the real Python runtime (MicroPython in Web Workers) against the
// simulated cluster, after the page made itself cross-origin isolated with its
// service worker; the five sends land at the offsets the tutorial names and
// the delay example arrives 5 s later. Then the journey, in English and in
// Chinese: open the lab from chapter 11 of the tutorial, make the listener
// answer RECONSUME_LATER and watch the retries, make a syntax error (the run
// on screen stays), run an endless loop (stopped after 2 s of wall time, the
// page responsive meanwhile), share the run and open it elsewhere (same code,
// same fingerprint, and "Run again" reproduces it with real Python). Last, a
// link whose recorded results or code were tampered with is refused.
// Screenshots at 1280×800, and the lab at phone size (390×844), where the
// page must not scroll sideways (phone layouts: tests/e2e/mobile.test.mjs).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, servedApp } from './support.mjs';

const app = servedApp();

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

const EN = {
  locale: 'en-US', suffix: 'en',
  enable: 'Enable and reload', runAgain: 'Run again', openInLab: 'Run this code in the code lab',
  chapter11: /^11\. The code, as written$/, next: 'Next', tabEvents: 'Events', tabQueues: 'Queues', tabRetry: 'Retry & DLQ',
  retryRegion: 'Retry and dead letters', sentBack: /Sent back/, share: 'Share', sharePanel: 'Share and save', shareLink: 'Share link',
  editor: (name) => `Code of ${name}`, remove: (name) => `Remove ${name}`, running: /^Running: virtual time/,
  syntax: (file) => new RegExp(`^${file.replace('.', '\\.')}, line (\\d+), column (\\d+): .+\\(the previous run stays on screen\\)$`),
  wallStop: /ran for 2 s of wall time/, same: /same fingerprint ([0-9a-f]{16})/, opened: /^Opened a shared lab run/,
  done: /^Run recorded, to 01:00\.000\. Fingerprint ([0-9a-f]{16})\./, other: '中文', back: 'English', heading: 'Code lab', otherHeading: '代码实验室',
  refused: 'This share link could not be opened', matches: "The fingerprint matches the sharer's",
};
const ZH = {
  locale: 'zh-CN', suffix: 'zh',
  enable: '启用并重新加载', runAgain: '重新运行', openInLab: '在代码实验室里运行这段代码',
  chapter11: /^11\. 使用$/, next: '下一步', tabEvents: '事件', tabQueues: '队列', tabRetry: '重试与死信',
  retryRegion: '重试与死信', sentBack: /送回重试/, share: '分享', sharePanel: '分享与保存', shareLink: '分享链接',
  editor: (name) => `${name} 的代码`, remove: (name) => `删除 ${name}`, running: /^运行中：虚拟时间/,
  syntax: (file) => new RegExp(`^${file.replace('.', '\\.')} 第 (\\d+) 行第 (\\d+) 列：.+（上一次运行保持不变）$`),
  wallStop: /程序运行了 2 秒/, same: /同样的指纹 ([0-9a-f]{16})/, opened: /^已打开分享的实验/,
  done: /^运行完成，到 01:00\.000。指纹 ([0-9a-f]{16})。/, other: 'English', back: '中文', heading: '代码实验室', otherHeading: 'Code lab',
  refused: '无法打开这个分享链接', matches: '指纹与分享者的一致',
};

/** A fresh browser context (nothing shared) with a page; `problems` collects console errors and exceptions. */
async function open(lang, path, viewport = DESKTOP) {
  const context = await app.browser.newContext({ locale: lang.locale, viewport });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`exception: ${e.message}`));
  if (path) await page.goto(app.server.url + path);
  return { context, page, problems };
}

/**
 * The page is not cross-origin isolated on a first visit: the lab says so and
 * offers to reload once its service worker is active. Returns true if the
 * reload came back to the lab.
 */
async function enableIsolation(page, lang) {
  await page.locator('.lab-panel').waitFor();
  if (await page.evaluate(() => crossOriginIsolated)) return true;
  const note = page.getByRole('note').filter({ hasText: /cross-origin isolated|跨源隔离/ });
  await note.waitFor();
  assert.equal(await page.locator('.lab-run').isDisabled(), true, 'Run waits for isolation');
  await page.evaluate(() => navigator.serviceWorker.ready);
  await Promise.all([page.waitForEvent('load'), note.getByRole('button', { name: lang.enable }).click()]);
  assert.equal(await page.evaluate(() => crossOriginIsolated), true, 'isolated after the reload');
  await page.locator('.lab-panel, .tut-step-title').first().waitFor();
  return (await page.locator('.lab-panel').count()) === 1;
}

/** Milliseconds of a console time stamp ("01:05.250" or "1:00:05.250"). */
function stampMs(text) {
  const parts = text.trim().split(':').map(Number);
  return Math.round(parts.reduce((acc, v) => acc * 60 + v, 0) * 1000);
}

/** The lab console: [{ t, who, text, err }]. */
function consoleLines(page) {
  return page.locator('.lab-lines li.lab-line').evaluateAll((items) =>
    items.map((li) => ({
      t: li.querySelector('time').textContent,
      who: li.querySelector('b').textContent,
      text: li.querySelector('span').textContent,
      err: li.classList.contains('is-err'),
    })),
  ).then((lines) => lines.map((l) => ({ ...l, t: stampMs(l.t) })));
}

/**
 * Starts a run (`how`: a click on Run / Run again, or Ctrl+Enter in the
 * editor) and waits until it has been busy and is over; returns the status
 * line and the wall time the run took.
 */
async function runLab(page, how = 'click', { whileBusy } = {}) {
  await page.evaluate(() => {
    window.__labBusy = false;
    window.__labObserver?.disconnect();
    const seen = () => { if (document.querySelector('.lab-toolbar') && !document.querySelector('.lab-run')) window.__labBusy = true; };
    window.__labObserver = new MutationObserver(seen);
    window.__labObserver.observe(document.body, { subtree: true, childList: true });
  });
  const t0 = Date.now();
  if (how === 'click') await page.locator('.lab-run').click();
  else await page.locator('textarea.lab-code').press('Control+Enter');
  await page.waitForFunction(() => window.__labBusy);
  if (whileBusy) await whileBusy();
  await page.waitForFunction(() => document.querySelector('.lab-run') && document.querySelector('.lab-status.is-done, .lab-status.is-error'), null, { timeout: 60_000 });
  const status = page.locator('.lab-status.is-done, .lab-status.is-error').first();
  return { ms: Date.now() - t0, text: (await status.textContent()).trim(), ok: await status.evaluate((e) => e.classList.contains('is-done')) };
}

/** The tab of program `name` (its accessible name leaves out the dot that marks the current event's program). */
const tabOf = (page, name) => page.getByRole('tab', { name, exact: true });

/** Shows program `name` in the editor and returns its textarea. */
async function editorOf(page, lang, name) {
  await tabOf(page, name).click();
  const editor = page.getByRole('textbox', { name: lang.editor(name), exact: true });
  await editor.waitFor();
  return editor;
}

/** Moves the time bar to the end of the run and waits for the clock there. */
async function seekToEnd(page) {
  const timeline = page.locator('input.scrub-input');
  const end = await timeline.getAttribute('max');
  await timeline.fill(end);
  await page.waitForFunction((t) => document.querySelector('.fingerprint-chip')?.getAttribute('data-t') === t, end);
  return Number(end);
}

/** The fingerprint chip: full hex, virtual time and engine events. */
async function chip(page) {
  const c = page.locator('.fingerprint-chip');
  return { hex: await c.getAttribute('data-fingerprint'), t: Number(await c.getAttribute('data-t')), events: Number(await c.getAttribute('data-events')) };
}

/** Opens the share panel and returns the link. */
async function shareLink(page, lang) {
  await page.getByRole('button', { name: lang.share, exact: true }).click();
  const panel = page.getByRole('region', { name: lang.sharePanel });
  await panel.waitFor();
  const link = await panel.getByRole('textbox', { name: lang.shareLink }).inputValue();
  await page.getByRole('button', { name: lang.share, exact: true }).click();
  return link;
}

const SEND_LINE = /^发送状态：0, 消息id：([0-9A-Fa-f]{32})$/;

test('the tutorial\'s programs run through the real Python runtime', async () => {
  const { context, page, problems } = await open(EN, '/?mode=lab');
  assert.equal(await enableIsolation(page, EN), true, 'the reload comes back to the lab');
  assert.deepEqual(await page.locator('.lab-tab').allTextContents().then((tabs) => tabs.map((t) => t.replace('●', '').trim())), ['producer.py', 'consumer.py']);

  const first = await runLab(page);
  assert.ok(first.ok, first.text);
  assert.match(first.text, EN.done);
  const fingerprint = first.text.match(EN.done)[1];
  await page.getByRole('button', { name: 'Run again', exact: true }).waitFor();
  const lines = await consoleLines(page);
  const produced = lines.filter((l) => l.who === 'producer.py').map((l) => l.text);
  assert.equal(produced.length, 6, JSON.stringify(produced));
  const ids = produced.slice(0, 5).map((text) => {
    assert.match(text, SEND_LINE);
    return text.match(SEND_LINE)[1];
  });
  assert.equal(new Set(ids).size, 5, 'five different msg ids');
  assert.equal(produced[5], '消息发送完成');
  const consumed = lines.filter((l) => l.who === 'consumer.py').map((l) => l.text);
  assert.equal(consumed[0], '开始消费消息');
  assert.equal(consumed.length, 6, JSON.stringify(consumed));
  assert.deepEqual(consumed.slice(1).map((text) => text.split(' ')[0]).sort(), [...ids].sort(), 'the consumer gets the same five ids');
  for (const text of consumed.slice(1)) assert.match(text, /^[0-9A-Fa-f]{32} 测试用内容 /);

  // At the end of the run, the producer's five SEND_OKs in the events feed.
  assert.equal(await seekToEnd(page), 60_000);
  assert.equal((await chip(page)).hex, fingerprint, 'the replay ends at the recorded fingerprint');
  await page.getByRole('tab', { name: 'Events' }).click();
  await page.getByRole('combobox', { name: 'Filter by node' }).selectOption('test');
  const feed = page.getByRole('list', { name: 'Event feed, newest first' });
  const oks = (await feed.getByRole('listitem').allTextContents())
    .map((text) => text.match(/test: msg #(\d+) SEND_OK at broker-a:TopicTest:(\d+) offset (\d+)/))
    .filter(Boolean)
    .map(([, msg, q, o]) => ({ msg: Number(msg), at: [Number(q), Number(o)] }))
    .sort((a, b) => a.msg - b.msg);
  assert.deepEqual(oks.map((s) => s.at), [[0, 0], [1, 0], [2, 0], [3, 0], [0, 1]]);
  await screenshot(page, 'lab-tutorial-run-en');

  // The delay example instead of producer.py: each message reaches the consumer 5 s after its send.
  await page.getByRole('combobox', { name: 'Add a program…' }).selectOption('delay_producer');
  await page.locator('.lab-tab.is-active', { hasText: 'delay_producer.py' }).waitFor();
  await tabOf(page, 'producer.py').click();
  await page.getByRole('button', { name: 'Remove producer.py' }).click();
  assert.deepEqual(await page.locator('.lab-tab').allTextContents().then((tabs) => tabs.map((t) => t.replace('●', '').trim())), ['consumer.py', 'delay_producer.py']);
  const delayed = await runLab(page);
  assert.ok(delayed.ok, delayed.text);
  const after = await consoleLines(page);
  const sends = new Map(after.filter((l) => l.who === 'delay_producer.py' && SEND_LINE.test(l.text)).map((l) => [l.text.match(SEND_LINE)[1], l.t]));
  assert.equal(sends.size, 5);
  const gets = after.filter((l) => l.who === 'consumer.py' && / 测试用内容 /.test(l.text));
  assert.equal(gets.length, 5, JSON.stringify(gets));
  for (const got of gets) {
    const id = got.text.split(' ')[0];
    assert.ok(sends.has(id), `consumed ${id} was sent`);
    const gap = got.t - sends.get(id);
    assert.ok(gap >= 5_000 && gap <= 5_200, `${id}: consumed ${gap} ms after its send`);
  }
  await screenshot(page, 'lab-delay-run-en');
  assert.deepEqual(problems, [], 'no console errors');
  await context.close();
});

/** The learner's journey in one language; returns how fast the page reacted while a program looped. */
async function journey(lang) {
  const { suffix } = lang;
  const { context, page, problems } = await open(lang, '/');

  // 1. From the tutorial's chapter 11 (使用): its step opens the lab with producer.py and consumer.py.
  const toStep = async () => {
    await page.locator('.tut-step-title').waitFor();
    if (!/^11\.4 /.test(await page.locator('.tut-step-title').textContent())) {
      await page.locator('.tut-chapter-menu > summary').click();
      await page.getByRole('button', { name: lang.chapter11 }).click();
      await page.getByRole('heading', { name: /^11\.1 / }).waitFor();
      for (const n of [2, 3, 4]) {
        await page.getByRole('button', { name: lang.next, exact: true }).click();
        await page.getByRole('heading', { name: new RegExp(`^11\\.${n} `) }).waitFor();
      }
    }
    await screenshot(page, `lab-tutorial-step-${suffix}`);
    await page.getByRole('button', { name: lang.openInLab }).click();
    await page.getByRole('heading', { name: lang.heading, exact: true }).waitFor();
  };
  await toStep();
  assert.deepEqual(await page.locator('.lab-tab').allTextContents().then((tabs) => tabs.map((t) => t.replace('●', '').trim())), ['producer.py', 'consumer.py']);
  await screenshot(page, `lab-isolation-note-${suffix}`);
  // Enabling isolation reloads the page into the lab, with the code kept.
  assert.equal(await enableIsolation(page, lang), true, 'the reload comes back to the lab');
  assert.deepEqual(await page.locator('.lab-tab').allTextContents().then((tabs) => tabs.map((t) => t.replace('●', '').trim())), ['producer.py', 'consumer.py']);

  // 2. The listener answers RECONSUME_LATER.
  const consumer = await editorOf(page, lang, 'consumer.py');
  const original = await consumer.inputValue();
  assert.match(original, /return ConsumeStatus\.CONSUME_SUCCESS/);
  const later = original.replace('ConsumeStatus.CONSUME_SUCCESS', 'ConsumeStatus.RECONSUME_LATER');
  await consumer.fill(later);

  // 3. Run it (Ctrl+Enter): every message comes back at ≈10 s and ≈40 s.
  const retried = await runLab(page, 'key');
  assert.ok(retried.ok, retried.text);
  assert.match(retried.text, lang.done);
  const recorded = retried.text.match(lang.done)[1];
  const lines = await consoleLines(page);
  // The C++ client underneath hands a whole pull result to one consume
  // request, and the Python binding stops calling the listener at the first
  // failure: at ≈10 s and ≈40 s the listener sees the first message of each
  // redelivered batch again (the whole batch goes back each time).
  const heard = lines.filter((l) => l.who === 'consumer.py' && / 测试用内容 /.test(l.text)).map((l) => ({ id: l.text.split(' ')[0], t: l.t }));
  const firstRound = heard.filter((h) => h.t < 1_000);
  assert.equal(firstRound.length, 5, 'five messages consumed at first');
  const ids = new Set(firstRound.map((h) => h.id));
  assert.equal(ids.size, 5);
  const at10 = heard.filter((h) => h.t >= 10_000 && h.t <= 10_500);
  const at40 = heard.filter((h) => h.t >= 40_000 && h.t <= 41_000);
  assert.ok(at10.length >= 1, 'the listener is called again at ≈10 s');
  assert.deepEqual(at40.map((h) => h.id), at10.map((h) => h.id), 'and the same messages again at ≈40 s');
  for (const h of [...at10, ...at40]) assert.ok(ids.has(h.id), `${h.id} is one of the five`);
  assert.equal(heard.length, firstRound.length + at10.length + at40.length, `no other deliveries: ${JSON.stringify(heard)}`);
  assert.equal(await seekToEnd(page), 60_000);
  const end = await chip(page);
  assert.equal(end.hex, recorded, 'the replay ends at the recorded fingerprint');
  await page.getByRole('tab', { name: lang.tabRetry }).click();
  const retry = page.getByRole('region', { name: lang.retryRegion });
  await retry.waitFor();
  const retryText = await retry.textContent();
  assert.match(retryText, /%RETRY%python_consumer/);
  assert.match(retryText, lang.sentBack);
  const rows = retry.locator('tr.r-row');
  assert.equal(await rows.count(), 5, 'all five messages went through %RETRY%');
  assert.deepEqual(await rows.locator('td.num').allTextContents(), ['3', '3', '3', '3', '3'], 'each scheduled for its 3rd retry by 1 min');
  await screenshot(page, `lab-retries-${suffix}`);
  await page.setViewportSize(PHONE);
  await screenshot(page, `lab-retries-${suffix}-390x844`);
  await page.setViewportSize(DESKTOP);

  // 4. A syntax error: the status names file, line and column, the gutter marks the line, the run stays.
  await page.getByRole('tab', { name: lang.tabEvents }).click();
  const broken = later.replace('def callback(msg):', 'def callback(msg)');
  const brokenLine = broken.split('\n').findIndex((l) => l === 'def callback(msg)') + 1;
  await consumer.fill(broken);
  const failed = await runLab(page);
  assert.equal(failed.ok, false, failed.text);
  const [, line, column] = failed.text.match(lang.syntax('consumer.py')) ?? assert.fail(failed.text);
  assert.equal(Number(line), brokenLine);
  assert.ok(Number(column) >= 1, column);
  assert.equal(await tabOf(page, 'consumer.py').getAttribute('aria-selected'), 'true');
  assert.deepEqual(await page.locator('.lab-ln.is-error').allTextContents(), [String(brokenLine)]);
  assert.equal(await page.locator('.lab-row.is-error').count(), 1);
  assert.deepEqual(await chip(page), end, 'the previous run is still loaded, at the same point');
  assert.equal(await page.locator('input.scrub-input').getAttribute('max'), '60000');
  assert.ok((await consoleLines(page)).length === lines.length, 'the previous run\'s console stays');
  await screenshot(page, `lab-syntax-error-${suffix}`);
  await page.setViewportSize(PHONE);
  await screenshot(page, `lab-syntax-error-${suffix}-390x844`);
  await page.setViewportSize(DESKTOP);
  await consumer.fill(later);

  // 5. An endless loop in a program of its own: stopped after 2 s of wall time; meanwhile the page responds.
  await page.getByRole('combobox', { name: /Add a program|添加程序/ }).selectOption('program');
  const program = await editorOf(page, lang, 'program.py');
  await program.fill(`${await program.inputValue()}while True:\n    pass\n`);
  const reactions = [];
  const react = async (what, act, done, arg) => {
    const t0 = Date.now();
    await act();
    await page.waitForFunction(done, arg, { polling: 'raf' });
    reactions.push([what, Date.now() - t0]);
  };
  const tabShown = (name) => [...document.querySelectorAll('[role=tab][aria-selected=true]')].some((t) => t.textContent.startsWith(name));
  const headingIs = (text) => document.getElementById('lab-heading')?.textContent === text;
  const looped = await runLab(page, 'click', {
    whileBusy: async () => {
      await page.getByRole('status').filter({ hasText: lang.running }).waitFor();
      await react('Queues tab', () => page.getByRole('tab', { name: lang.tabQueues }).click(), tabShown, lang.tabQueues);
      await react('language switch', () => page.getByRole('button', { name: lang.other, exact: true }).click(), headingIs, lang.otherHeading);
      await react('language switch back', () => page.getByRole('button', { name: lang.back, exact: true }).click(), headingIs, lang.heading);
      assert.equal(await page.locator('.lab-run').count(), 0, 'the loop was still running during the clicks');
    },
  });
  for (const [what, ms] of reactions) assert.ok(ms < 500, `${what} took ${ms} ms while the loop ran`);
  assert.ok(looped.ok, looped.text);
  const stops = (await consoleLines(page)).filter((l) => lang.wallStop.test(l.text));
  assert.equal(stops.length, 1, 'the loop is stopped with a message');
  assert.equal(stops[0].who, 'program.py', 'on the looping program\'s behalf');
  assert.equal(stops[0].err, true, 'as an error line');
  assert.ok(looped.ms >= 2_000, `the loop ran for ${looped.ms} ms of wall time`);
  await screenshot(page, `lab-endless-loop-${suffix}`);
  await tabOf(page, 'program.py').click();
  await page.getByRole('button', { name: lang.remove('program.py') }).click();

  // 6. Share the RECONSUME_LATER run and open it in a fresh context.
  const again = await runLab(page);
  assert.match(again.text, lang.done);
  assert.equal(again.text.match(lang.done)[1], recorded, 'the same code runs to the same fingerprint');
  const link = await shareLink(page, lang);
  const code = { 'producer.py': await (await editorOf(page, lang, 'producer.py')).inputValue(), 'consumer.py': later };

  const other = await open(lang, link.slice(app.server.url.length));
  const p2 = other.page;
  await p2.locator('.lab-panel').waitFor();
  await p2.getByText(lang.opened).waitFor();
  await p2.getByRole('status').filter({ hasText: lang.matches }).waitFor();
  assert.deepEqual(await p2.locator('.lab-tab').allTextContents().then((tabs) => tabs.map((t) => t.replace('●', '').trim())), ['producer.py', 'consumer.py']);
  for (const [name, text] of Object.entries(code)) assert.equal(await (await editorOf(p2, lang, name)).inputValue(), text, name);
  assert.equal(await seekToEnd(p2), 60_000);
  assert.deepEqual(await chip(p2), end, 'the replay ends with the sharer\'s fingerprint');
  assert.ok(lines.length > 0);
  assert.deepEqual((await consoleLines(p2)).map((l) => `${l.t} ${l.who} ${l.text}`), lines.map((l) => `${l.t} ${l.who} ${l.text}`), 'the same console');
  await screenshot(p2, `lab-shared-opened-${suffix}`);
  assert.equal(await enableIsolation(p2, lang), true, 'the link reloads into the lab');
  await p2.getByRole('button', { name: lang.runAgain, exact: true }).waitFor();
  const reproduced = await runLab(p2);
  assert.ok(reproduced.ok, reproduced.text);
  assert.match(reproduced.text, lang.same);
  assert.equal(reproduced.text.match(lang.same)[1], recorded);
  await screenshot(p2, `lab-shared-run-again-${suffix}`);
  await p2.setViewportSize(PHONE);
  await screenshot(p2, `lab-shared-run-again-${suffix}-390x844`);
  assert.deepEqual(other.problems, [], 'no console errors where the link was opened');
  await other.context.close();

  assert.deepEqual(problems, [], 'no console errors');
  await context.close();
  return { reactions };
}

test('the journey in English: tutorial → lab, retries, a syntax error, an endless loop, a shared run', async () => {
  const { reactions } = await journey(EN);
  console.log('reactions while looping (ms):', reactions);
});

test('the journey in Chinese', async () => {
  const { reactions } = await journey(ZH);
  console.log('reactions while looping (ms):', reactions);
});

test('enabling isolation in a lab opened from the tutorial reloads into the lab', async () => {
  const { context, page } = await open(EN, '/');
  await page.locator('.tut-chapter-menu > summary').click();
  await page.getByRole('button', { name: EN.chapter11 }).click();
  await page.getByRole('button', { name: EN.openInLab }).click();
  await page.getByRole('heading', { name: EN.heading, exact: true }).waitFor();
  try {
    assert.equal(await enableIsolation(page, EN), true, `after the reload the page shows ${await page.locator('.mode-switch [aria-pressed=true], header [aria-pressed=true]').first().textContent()}`);
  } finally {
    await context.close();
  }
});

test('the lab fits a phone screen without scrolling sideways', async () => {
  const { context, page } = await open(EN, '/?mode=lab', PHONE);
  await page.locator('.lab-panel').waitFor();
  try {
    const { scrollWidth, clientWidth, widest } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
      widest: [...document.querySelectorAll('header *')].map((e) => [e.className, Math.round(e.getBoundingClientRect().right)]).sort((a, b) => b[1] - a[1])[0],
    }));
    assert.ok(scrollWidth <= clientWidth, `the page is ${scrollWidth} px wide on a ${clientWidth} px screen (widest in the header: ${widest})`);
  } finally {
    await context.close();
  }
});

/** A share token's document (URL-safe base64 of the JSON, no padding) and back. */
const decode = (token) => JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
const encode = (doc) => Buffer.from(JSON.stringify(doc), 'utf8').toString('base64url');

test('a lab link whose recorded results or code were changed is refused, saying which', async () => {
  const { context, page, problems } = await open(EN, '/?mode=lab');
  assert.equal(await enableIsolation(page, EN), true);
  const ran = await runLab(page);
  assert.ok(ran.ok, ran.text);
  const link = await shareLink(page, EN);
  await context.close();
  assert.deepEqual(problems, []);
  const [base, token] = link.split('#s=');
  const doc = decode(token);
  assert.equal(doc.lab.programs.length, 2);
  assert.match(doc.scenario.answers, /^S{5}$/, 'five callbacks answered CONSUME_SUCCESS');

  const opens = async (edited) => {
    const { context, page, problems } = await open(EN, `${base.slice(app.server.url.length)}#s=${encode(edited)}`);
    await page.locator('.share-note').waitFor();
    return { context, page, problems, note: page.locator('.share-note') };
  };

  // Re-encoded unchanged, the link opens: the tampering below is all that differs.
  const same = await opens(doc);
  assert.match(await same.note.textContent(), /The fingerprint matches the sharer's/);
  await same.page.locator('.lab-panel').waitFor();
  assert.deepEqual(same.problems, []);
  await same.context.close();

  const cases = [
    ['one recorded result dropped', (d) => { d.scenario.answers = d.scenario.answers.slice(1); }, /scenario\.answers: the recorded results do not match the run: the replay asks for 5 callback results, the document carries 4/],
    ['one recorded result flipped', (d) => { d.scenario.answers = `L${d.scenario.answers.slice(1)}`; }, /(scenario\.answers|lab\.fingerprint): the recorded results do not match the run/],
    ['the code edited', (d) => { d.lab.programs[1].code = d.lab.programs[1].code.replace('CONSUME_SUCCESS', 'RECONSUME_LATER'); }, /lab\.code_hash/],
  ];
  for (const [what, edit, why] of cases) {
    const edited = structuredClone(doc);
    edit(edited);
    const refused = await opens(edited);
    const alert = refused.page.getByRole('alert').filter({ hasText: EN.refused });
    await alert.waitFor();
    const text = await alert.textContent();
    assert.match(text, why, `${what}: ${text}`);
    assert.equal(await refused.page.locator('.share-note-problem').count(), 1);
    assert.equal(await refused.page.locator('.lab-panel').count(), 0, `${what}: no lab run opened`);
    await screenshot(refused.page, `lab-link-refused-${what.replaceAll(' ', '-')}-en`);
    await refused.context.close();
  }
});
