// Phones and tablets, by touch (issue #18). At 390×844 (a phone, upright)
// and 768×1024 (a tablet, upright), touch only, in Chinese and in English:
//
// - the first three tutorial chapters are walked with taps (Next, and a
//   question's answer when one holds the run); on every step the lesson's
//   box (it scrolls inside), the title, the start of the narration, Back and
//   Next lie inside the first screen above the time bar, the time bar too,
//   at least 120 px of the cluster picture, drawn at full size across the
//   screen, show on that screen, and the page does not scroll sideways; on
//   the first step the whole picture does (every card above the time bar,
//   at least 44 px tall, its text at least 12 px);
// - tapping a node opens its fault menu, tapping a link opens the link's;
// - dragging the timeline with a finger (CDP touch events) moves the clock,
//   and does not scroll the page;
// - pressable things are at least 44 px, the page's text at least 14 px on
//   the phone (the cluster drawing's labels are not counted: they are drawn
//   at the picture's size, full size on a phone);
// - in the playground the cluster and the time bar come first; the
//   playground, the challenges and the code lab do not scroll sideways.
//
// Screenshots go to tests/e2e/screenshots/mobile-*.png.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clockMs, screenshot, servedApp, stepSettled } from './support.mjs';

const app = servedApp();

const DEVICES = {
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true },
  tablet: { viewport: { width: 768, height: 1024 }, isMobile: true, hasTouch: true },
};

const LANGS = {
  zh: { locale: 'zh-CN', next: '下一步', back: '上一步' },
  en: { locale: 'en-US', next: 'Next', back: 'Back' },
};

/** A fresh touch context of `device` in `lang`, at `path`. */
async function open(device, lang, path = '/') {
  const context = await app.browser.newContext({ locale: LANGS[lang].locale, ...DEVICES[device] });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`exception: ${e.message}`));
  await page.goto(app.server.url + path);
  return { context, page, problems };
}

/** The page is no wider than the screen (nothing scrolls sideways). */
async function assertNoSideScroll(page, where) {
  const device = page.viewportSize().width;
  const { scrollWidth, innerWidth, widest } = await page.evaluate((w) => {
    const widest = [...document.querySelectorAll('body *')]
      .map((e) => [e.tagName.toLowerCase() + (typeof e.className === 'string' && e.className ? `.${e.className.split(' ')[0]}` : ''), Math.round(e.getBoundingClientRect().right)])
      .filter(([, right]) => right > w)
      .slice(0, 4);
    return { scrollWidth: document.scrollingElement.scrollWidth, innerWidth, widest };
  }, device);
  // A mobile browser widens its layout viewport to fit what overflows: then innerWidth grows past the device's width.
  assert.ok(scrollWidth <= innerWidth && innerWidth <= device, `${where}: the page is ${scrollWidth} px wide, the layout viewport ${innerWidth} px, on a ${device} px screen (${JSON.stringify(widest)})`);
}


/** Boxes of what the first screen must show (page scrolled to the top). */
function firstScreen(page) {
  return page.evaluate(() => {
    const box = (sel) => {
      const r = document.querySelector(sel)?.getBoundingClientRect();
      return r ? { top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width, height: r.height } : null;
    };
    const svg = document.querySelector('.cluster-svg');
    const viewBox = svg?.viewBox?.baseVal;
    return {
      height: innerHeight,
      width: innerWidth,
      scrollY,
      lesson: box('.tutorial-guide > .narration'),
      title: box('.tut-step-title'),
      text: box('.tut-text'),
      back: box('.tut-back'),
      next: box('.tut-next'),
      time: box('.sim-time-bar'),
      scrubber: box('.scrubber'),
      stage: box('.cluster-stage'),
      scale: svg && viewBox?.width ? svg.getBoundingClientRect().width / viewBox.width : 0,
      nodes: [...document.querySelectorAll('.sim-cluster g[data-node]')].map((g) => {
        const r = g.getBoundingClientRect();
        return { node: g.dataset.node, top: r.top, bottom: r.bottom, height: r.height };
      }),
      // The smallest text drawn in the picture, in screen pixels.
      smallestText: Math.min(
        ...[...document.querySelectorAll('.sim-cluster g[data-node] text')]
          .filter((t) => t.getBoundingClientRect().width > 0)
          .map((t) => parseFloat(getComputedStyle(t).fontSize) * (svg.getBoundingClientRect().width / viewBox.width)),
      ),
    };
  });
}

const inside = (b, top, bottom) => b && b.top >= top - 0.5 && b.bottom <= bottom + 0.5;

/**
 * The first screen (the page at its top) shows the lesson, Back / Next, the picture and the time bar.
 * `lessonFromTop`: the lesson's own box is read from its top (after an answer, which scrolls the box
 * to the question, the learner reads on from there; a new step starts at the top by itself).
 */
async function assertFirstScreen(page, where, options) {
  try {
    await checkFirstScreen(page, where, options);
  } catch (error) {
    await page.screenshot({ path: `tests/e2e/screenshots/mobile-failed-${where.replace(/\W+/g, '-').slice(0, 60)}.png` });
    throw error;
  }
}

async function checkFirstScreen(page, where, { lessonFromTop = false, wholePicture = false } = {}) {
  await page.evaluate((reset) => {
    scrollTo(0, 0);
    if (reset) document.querySelector('.tutorial-guide > .narration').scrollTop = 0;
  }, lessonFromTop);
  const s = await firstScreen(page);
  assert.ok(inside(s.time, 0, s.height), `${where}: the time bar is on the first screen ${JSON.stringify(s.time)}`);
  const above = s.time.top;
  // The lesson scrolls inside its box (Back / Next held at its foot): the box, the title, the start
  // of the narration, Back and Next lie on the first screen, above the time bar.
  for (const part of ['lesson', 'title', 'back', 'next']) {
    assert.ok(inside(s[part], 0, above), `${where}: the ${part} lies on the first screen above the time bar (${JSON.stringify(s[part])}, time bar at ${above})`);
  }
  const shown = Math.min(s.text.bottom, s.next.top) - s.text.top;
  const wanted = Math.min(60, s.text.height);
  assert.ok(s.text.top >= s.lesson.top && shown >= wanted, `${where}: at least ${wanted} px of narration shown above Back / Next (${shown} px)`);
  assert.ok(s.stage && s.stage.top < above - 120, `${where}: at least 120 px of the cluster picture on the first screen (${JSON.stringify(s.stage)}, time bar at ${above})`);
  assert.ok(s.stage.left >= -0.5 && s.stage.right <= s.width + 0.5 && s.stage.width >= s.width - 2, `${where}: the picture spans the screen's width`);
  assert.ok(s.scale >= 0.95, `${where}: the picture is drawn at full size (scale ${s.scale.toFixed(2)})`);
  if (wholePicture) {
    // The first step's whole picture shares the first screen with the lesson: every card lies
    // above the time bar, as tall as a finger, its text legible.
    assert.ok(s.nodes.length >= 4, `${where}: the first step's cards are drawn (${s.nodes.length})`);
    for (const n of s.nodes) {
      assert.ok(n.top >= s.stage.top - 0.5 && n.bottom <= above + 0.5, `${where}: ${n.node}'s card (${Math.round(n.top)}–${Math.round(n.bottom)}) lies on the first screen above the time bar at ${Math.round(above)}`);
      assert.ok(n.height >= 44, `${where}: ${n.node}'s card is ${n.height} px tall`);
    }
    assert.ok(s.smallestText >= 12, `${where}: the picture's text is at least 12 px (${s.smallestText.toFixed(1)})`);
  }
}

/** Every visible pressable thing (and `extra`) is at least 44 × 44 px, or 44 px tall for wide ones. */
async function assertTapTargets(page, where) {
  const small = await page.evaluate(() => {
    const out = [];
    for (const el of document.querySelectorAll('button, summary, [role=button]:not(g):not(path), input[type=range], select, a[href]')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || !el.checkVisibility({ visibilityProperty: true }) || el.closest('.skip-link, .visually-hidden')) continue;
      if (r.height < 43.5 || r.width < 43.5) out.push(`${el.tagName.toLowerCase()}.${el.className} "${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 24)}" ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    for (const g of document.querySelectorAll('.sim-cluster g[data-node]')) {
      const r = g.getBoundingClientRect();
      if (r.height < 44 || r.width < 44) out.push(`node ${g.dataset.node} ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return out;
  });
  assert.deepEqual(small, [], `${where}: tap targets under 44 px`);
}

/** Every visible piece of the page's text (outside the cluster drawing) is at least 14 px. */
async function assertTextSize(page, where) {
  const small = await page.evaluate(() => {
    const out = new Set();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!node.textContent.trim() || !el || el.closest('svg, .visually-hidden, .skip-link, option, script, style, noscript')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || !el.checkVisibility({ visibilityProperty: true })) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size < 13.95) out.add(`${el.tagName.toLowerCase()}.${el.className} ${size}px "${node.textContent.trim().slice(0, 20)}"`);
    }
    return [...out].slice(0, 12);
  });
  assert.deepEqual(small, [], `${where}: text under 14 px`);
}

for (const device of Object.keys(DEVICES)) {
  for (const lang of Object.keys(LANGS)) {
    test(`${device}, ${lang}: the first three chapters by tap, each step's lesson and Next on the first screen`, async () => {
      const { next } = LANGS[lang];
      const { context, page, problems } = await open(device, lang);
      try {
        await page.locator('.tut-step-title').waitFor();
        const nextButton = page.getByRole('button', { name: next, exact: true });
        let n = 1;
        for (;;) {
          let verdict = await stepSettled(page, n);
          let answered = false;
          if (verdict === 'waiting') {
            answered = true;
            if (n === 2) await page.screenshot({ path: `tests/e2e/screenshots/mobile-${device}-${lang}-question.png` });
            await assertNoSideScroll(page, `${device} ${lang} step ${n} (question)`);
            await assertFirstScreen(page, `${device} ${lang} step ${n} (question)`);
            await page.locator('.tut-predict label').first().tap();
            verdict = await stepSettled(page, n);
          }
          const title = (await page.locator('.tut-step-title').textContent()).trim();
          if (!/^[123]\./.test(title)) break;
          assert.equal(verdict, 'holds', `${device} ${lang} step ${n} "${title}"`);
          if (n === 1) {
            await screenshot(page, `mobile-${device}-${lang}-tutorial-full`);
            await page.screenshot({ path: `tests/e2e/screenshots/mobile-${device}-${lang}-tutorial-first-screen.png` });
          }
          await assertNoSideScroll(page, `${device} ${lang} step ${n}`);
          await assertFirstScreen(page, `${device} ${lang} step ${n} "${title}"`, { lessonFromTop: answered, wholePicture: n === 1 });
          if (n === 1) {
            await assertTapTargets(page, `${device} ${lang} tutorial`);
            if (device === 'phone') await assertTextSize(page, `${device} ${lang} tutorial`);
          }
          await nextButton.tap();
          n += 1;
        }
        assert.ok(n >= 15, `walked the first three chapters (${n - 1} steps)`);
        assert.deepEqual(problems, [], 'the page logs no errors');
      } finally {
        await context.close();
      }
    });

    test(`${device}, ${lang}: a tap opens a node's or a link's fault menu; a finger drags the timeline`, async () => {
      const { context, page, problems } = await open(device, lang);
      try {
        await page.locator('.tut-step-title').waitFor();
        await stepSettled(page, 1);
        await page.locator('.sim-cluster g[data-node="broker-a"]').tap();
        const menu = page.locator('.fault-menu');
        await menu.waitFor();
        assert.match(await menu.getAttribute('aria-label'), /broker-a/);
        const box = await menu.boundingBox();
        const { width, height } = DEVICES[device].viewport;
        assert.ok(box.x >= 0 && box.x + box.width <= width && box.y >= 0 && box.y + box.height <= height, `the menu fits the screen ${JSON.stringify(box)}`);
        await assertTapTargets(page, `${device} ${lang} node menu`);
        await assertNoSideScroll(page, `${device} ${lang} node menu`);
        await page.screenshot({ path: `tests/e2e/screenshots/mobile-${device}-${lang}-node-menu.png` });
        await page.keyboard.press('Escape');
        await menu.waitFor({ state: 'detached' });

        // A tap on the middle of the producer's link to the broker (a thin line: tapped where it runs).
        const mid = await page.evaluate(() => {
          const path = [...document.querySelectorAll('.sim-cluster .link-hit')].find((p) => /producer/.test(p.getAttribute('aria-label')) && /broker-a/.test(p.getAttribute('aria-label')));
          const point = path.getPointAtLength(path.getTotalLength() / 2);
          const m = path.getScreenCTM();
          return { x: point.x * m.a + m.e, y: point.y * m.d + m.f };
        });
        await page.touchscreen.tap(mid.x, mid.y);
        await menu.waitFor();
        assert.match(await menu.getAttribute('aria-label'), /producer/);
        assert.ok((await menu.locator('[role=menuitem]').count()) > 0, 'the link menu lists faults');
        await page.keyboard.press('Escape');
        await menu.waitFor({ state: 'detached' });

        // Drag the timeline from a tenth to four fifths with a finger.
        await page.evaluate(() => scrollTo(0, 0));
        const until = Number(await page.locator('input.scrub-input').getAttribute('max'));
        const before = await clockMs(page);
        const track = await page.locator('.scrubber').boundingBox();
        const y = track.y + track.height / 2;
        const at = (f) => track.x + track.width * f;
        const cdp = await context.newCDPSession(page);
        const scrollBefore = await page.evaluate(() => [scrollX, scrollY]);
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: at(0.1), y }] });
        for (let i = 1; i <= 10; i++) {
          await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: at(0.1 + (0.7 * i) / 10), y: y + i }] });
        }
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
        const target = Math.round(until * 0.8);
        await page.waitForFunction(
          ({ target, step }) => {
            const t = document.querySelector('.sim-clock-value')?.textContent ?? '';
            let ms = 0;
            for (const [, v, u] of t.matchAll(/(\d+(?:\.\d+)?)\s*(h|min|m|s)\b/g)) ms += Number(v) * { h: 3_600_000, min: 60_000, m: 60_000, s: 1000 }[u];
            return !document.querySelector('.tb-stop') && Math.abs(Math.round(ms) - target) <= step;
          },
          { target, step: Math.max(1, Math.ceil(until / 1000)) * 2 + until * 0.01 },
          { timeout: 30_000 },
        );
        const after = await clockMs(page);
        assert.notEqual(after, before, 'the clock moved');
        assert.ok(Math.abs(after - target) <= until * 0.02, `the clock stands where the finger let go (${after} ms, aimed at ${target} of ${until})`);
        assert.deepEqual(await page.evaluate(() => [scrollX, scrollY]), scrollBefore, 'dragging the timeline does not scroll the page');
        assert.deepEqual(problems, [], 'the page logs no errors');
      } finally {
        await context.close();
      }
    });

    test(`${device}, ${lang}: playground, challenges and code lab fit the width; the playground shows the cluster and the time bar first`, async () => {
      const { context, page, problems } = await open(device, lang, '/?mode=playground');
      try {
        await page.locator('.sim-cluster g[data-node]').first().waitFor();
        const s = await firstScreen(page);
        assert.ok(inside(s.time, 0, s.height), `the time bar is on the first screen ${JSON.stringify(s.time)}`);
        assert.ok(s.stage.top < s.height / 3 && s.stage.bottom > s.stage.top + 150, `the cluster comes first ${JSON.stringify(s.stage)}`);
        const guideTop = await page.locator('.playground-guide').evaluate((e) => e.getBoundingClientRect().top);
        assert.ok(guideTop > s.stage.bottom, 'the column comes after the picture');
        await assertNoSideScroll(page, `${device} ${lang} playground`);
        await assertTapTargets(page, `${device} ${lang} playground`);
        if (device === 'phone') await assertTextSize(page, `${device} ${lang} playground`);
        await page.screenshot({ path: `tests/e2e/screenshots/mobile-${device}-${lang}-playground.png` });

        await page.goto(`${app.server.url}/?mode=challenges`);
        await page.locator('.challenge-guide').waitFor();
        await page.locator('.sim-cluster g[data-node]').first().waitFor();
        await assertNoSideScroll(page, `${device} ${lang} challenges`);
        await screenshot(page, `mobile-${device}-${lang}-challenges`);

        await page.goto(`${app.server.url}/?mode=lab`);
        await page.locator('.lab-panel').waitFor();
        await assertNoSideScroll(page, `${device} ${lang} lab`);
        await assertTapTargets(page, `${device} ${lang} lab`);
        await page.screenshot({ path: `tests/e2e/screenshots/mobile-${device}-${lang}-lab.png` });
        assert.deepEqual(problems, [], 'the page logs no errors');
      } finally {
        await context.close();
      }
    });
  }
}
