// A keyboard-only journey (no mouse, no taps): Tab to the tutorial's Next
// and take a step, hear it announced by the live region; play and pause
// from the time bar, step one event, seek with the timeline; Tab to a node
// in the drawing, open its fault menu with Shift+F10 (focus moves into the
// menu), close it with Escape (focus comes back to the node), open it again
// with the ContextMenu key and kill the broker from the menu; open the dock's
// views with the arrow keys and the send dialog from its button; pick a
// scenario whose checkers fail and hear that and the run's end. Screenshots
// of the focus states are saved under tests/e2e/screenshots.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clockMs, openApp, screenshot, servedApp } from './support.mjs';

const app = servedApp();

/** What has focus: its role, accessible name (aria-label or text) and tag. */
const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { role: '', name: '', tag: 'BODY' };
    return {
      role: el.getAttribute('role') ?? '',
      name: (el.getAttribute('aria-label') ?? el.textContent ?? '').trim(),
      tag: el.tagName,
    };
  });

/** Presses Tab (or Shift+Tab) until `wanted(focus)` holds; fails after `max` presses. */
async function tabTo(page, wanted, what, { max = 250, back = false } = {}) {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    if (wanted(now)) return now;
  }
  throw new Error(`Tab never reached ${what}`);
}

/** The polite live region's text. */
const announced = (page) => page.locator('[data-announcer]').textContent();

/** The focused element draws a visible focus ring (an outline or a box shadow). */
const ringed = (page) =>
  page.evaluate(() => {
    const style = getComputedStyle(document.activeElement);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return outline || style.boxShadow !== 'none';
  });

test('the tutorial, time control, faults and views work from the keyboard alone', async () => {
  const { context, page, problems } = await openApp(app.browser, app.server, { locale: 'en-US' });
  await page.getByRole('heading', { name: '1.1 One NameServer, one broker' }).waitFor();
  const live = page.locator('[data-announcer]');
  assert.equal(await live.getAttribute('aria-live'), 'polite');
  assert.equal(await announced(page), '', 'nothing is announced when the page opens');

  // The tutorial: Tab to Next, Enter; the step changes and is announced.
  await tabTo(page, (f) => f.tag === 'BUTTON' && f.name === 'Next', 'the tutorial’s Next');
  assert.ok(await ringed(page), 'Next shows where focus is');
  await screenshot(page, 'keyboard-focus-next');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: '1.2 Registering again every 30 s' }).waitFor();
  await page.waitForFunction(() => /^Step 2 of \d+: Registering again every 30 s$/.test(document.querySelector('[data-announcer]').textContent));
  // Back with Shift+Tab to Back: the first step again, announced too.
  await tabTo(page, (f) => f.tag === 'BUTTON' && f.name === 'Back', 'the tutorial’s Back', { back: true });
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: '1.1 One NameServer, one broker' }).waitFor();
  await page.waitForFunction(() => /^Step 1 of \d+: /.test(document.querySelector('[data-announcer]').textContent));

  // Time control: Play, then Pause (the same button, relabelled), from the keyboard.
  await tabTo(page, (f) => f.tag === 'BUTTON' && f.name === 'Play', 'Play');
  assert.ok(await ringed(page), 'Play shows where focus is');
  await screenshot(page, 'keyboard-focus-play');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Pause', exact: true }).waitFor();
  const pause = await focused(page);
  if (pause.name !== 'Pause') await tabTo(page, (f) => f.tag === 'BUTTON' && f.name === 'Pause', 'Pause');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Play', exact: true }).waitFor();

  // Step: one event further.
  await tabTo(page, (f) => f.tag === 'BUTTON' && f.name === 'Step one event', 'Step one event');
  const events = await page.locator('.scrub-events').textContent();
  await page.keyboard.press('Enter');
  await page.waitForFunction((before) => document.querySelector('.scrub-events').textContent !== before, events);

  // Seek: the timeline slider takes Home (back to 0) and arrow keys.
  await tabTo(page, (f) => f.tag === 'INPUT' && f.name === 'Timeline', 'the timeline');
  await page.keyboard.press('Home');
  await page.waitForFunction(() => /^0(\.0+)? s$/.test(document.querySelector('.sim-clock-value').textContent.trim()));
  const atStart = await clockMs(page);
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => !/^0(\.0+)? s$/.test(document.querySelector('.sim-clock-value').textContent.trim()));
  assert.ok((await clockMs(page)) > atStart, 'the arrow key moved the run forward');

  // Faults: Tab to broker-a in the drawing; Shift+F10 opens its menu with focus inside.
  const node = await tabTo(page, (f) => /^broker-a, /.test(f.name), 'broker-a in the drawing');
  assert.equal(node.role, 'button');
  assert.ok(await ringed(page), 'the node shows where focus is');
  await screenshot(page, 'keyboard-focus-node');
  await page.keyboard.press('Shift+F10');
  const menu = page.getByRole('menu', { name: 'Actions for broker-a' });
  await menu.waitFor();
  assert.equal((await focused(page)).role, 'menuitem', 'focus moved into the menu');
  await screenshot(page, 'keyboard-focus-menu');
  await page.keyboard.press('Escape');
  await menu.waitFor({ state: 'detached' });
  assert.match((await focused(page)).name, /^broker-a, /, 'Escape returns focus to the node');

  // Again with the ContextMenu key; walk the menu with the arrows to Kill.
  await page.keyboard.press('ContextMenu');
  await menu.waitFor();
  for (let i = 0; i < 12 && (await focused(page)).name !== 'Kill'; i += 1) await page.keyboard.press('ArrowDown');
  assert.equal((await focused(page)).name, 'Kill');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'broker-a, Broker, down · killed' }).waitFor();
  assert.equal((await focused(page)).name, 'broker-a, Broker, down · killed', 'focus stays on the node after the fault');

  // The dock: Tab to its selected tab, arrows move between views.
  const tab = await tabTo(page, (f) => f.role === 'tab', 'the dock’s tabs');
  assert.equal(tab.name, 'Events');
  assert.ok(await ringed(page), 'the tab shows where focus is');
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => document.activeElement?.getAttribute('role') === 'tab' && document.activeElement.getAttribute('aria-selected') === 'true' && !/^Events/.test(document.activeElement.textContent));
  await screenshot(page, 'keyboard-focus-tab');
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => document.activeElement?.getAttribute('aria-selected') === 'true' && /^Events/.test(document.activeElement.textContent));

  // Sending a message: the toolbar's button opens the dialog with focus in it; Escape closes it.
  await tabTo(page, (f) => f.tag === 'BUTTON' && f.name === 'Send messages…', 'Send messages…', { back: true });
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Send messages' });
  await dialog.waitFor();
  assert.ok(await dialog.evaluate((d) => d.contains(document.activeElement)), 'focus moved into the send dialog');
  await tabTo(page, (f) => f.tag === 'BUTTON' && f.name === 'Send', 'the dialog’s Send', { max: 40 });
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'detached' });

  assert.deepEqual(problems, []);
  await context.close();
});

test('a failed guarantee check and the end of the run are announced, in Chinese too', async () => {
  const { context, page, problems } = await openApp(app.browser, app.server, { locale: 'zh-CN', path: '/?mode=playground' });
  await page.getByRole('button', { name: '场景: tutorial-basic' }).waitFor();
  // Another scenario, from the keyboard: the picker's button, then its list.
  await tabTo(page, (f) => f.tag === 'BUTTON' && f.name === '场景: tutorial-basic', '场景按钮');
  await page.keyboard.press('Enter');
  await tabTo(page, (f) => f.tag === 'BUTTON' && f.name.startsWith('oneway-loss'), 'oneway-loss', { max: 40 });
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: '场景: oneway-loss' }).waitFor();
  assert.equal(await announced(page), '', 'loading a scenario says nothing by itself');
  // To the end of the run: oneway sends to a dead broker are lost, and the checkers say so.
  await tabTo(page, (f) => f.tag === 'INPUT' && f.name === '时间线', '时间线');
  await page.keyboard.press('End');
  await page.waitForFunction(() => /^保证检查失败：发现 \d+ 个问题，见“保证检查”视图。 运行结束，虚拟时间 30 s。$/.test(document.querySelector('[data-announcer]').textContent));
  // The same words in English once the language changes.
  await tabTo(page, (f) => f.tag === 'BUTTON' && f.name === 'English', 'English', { back: true });
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /^A guarantee check failed: \d+ problem\(s\), see the Checkers view\. The run ended at 30 s of virtual time\.$/.test(document.querySelector('[data-announcer]').textContent));
  assert.deepEqual(problems, []);
  await context.close();
});
